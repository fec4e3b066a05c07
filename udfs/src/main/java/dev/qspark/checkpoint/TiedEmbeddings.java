package dev.qspark.checkpoint;

import java.util.List;

/**
 * Whether the output projection reuses the input embedding matrix, as with {@code
 * tie_word_embeddings} in Hugging Face configs, and how that was concluded.
 *
 * @param tied whether the embeddings are tied
 * @param embedding name of the input embedding weight, or null when none was found
 * @param outputProjection name of the stored output projection weight, or null when none is stored
 * @param note one sentence for reports
 */
public record TiedEmbeddings(
    boolean tied, String embedding, String outputProjection, String note) {

  /** Concludes from {@code config} (may be null) and the tensor names. */
  static TiedEmbeddings detect(ModelConfig config, List<TensorEntry> tensors) {
    String embedding = null;
    String output = null;
    for (TensorEntry tensor : tensors) {
      TensorName name = TensorName.parse(tensor.name());
      if (!name.parameter().equals("weight") || name.layer() != null) {
        continue;
      }
      TensorRole role = TensorRole.of(name);
      if (role == TensorRole.EMBEDDING && embedding == null && isTokenEmbedding(name)) {
        embedding = tensor.name();
      } else if (role == TensorRole.OUTPUT_PROJECTION && output == null) {
        output = tensor.name();
      }
    }

    Boolean configured = config == null ? null : config.tieWordEmbeddings();
    String embeddingText = embedding == null ? "the input embeddings" : embedding;
    if (Boolean.TRUE.equals(configured)) {
      String stored =
          output == null ? "" : "; " + output + " is stored as well and is read as its own tensor";
      return new TiedEmbeddings(
          true,
          embedding,
          output,
          "tied embeddings: config.json sets tie_word_embeddings, so the output projection reuses "
              + embeddingText
              + stored);
    }
    if (output == null && embedding == null) {
      return new TiedEmbeddings(false, null, null, "no token embedding and no output projection (lm_head) tensor");
    }
    if (output == null) {
      String why =
          Boolean.FALSE.equals(configured)
              ? "no output projection tensor although config.json sets tie_word_embeddings to false"
              : "no output projection tensor (lm_head)";
      return new TiedEmbeddings(
          true,
          embedding,
          null,
          "tied embeddings: " + why + ", so an output layer, if the model has one, can only reuse "
              + embeddingText);
    }
    return new TiedEmbeddings(
        false,
        embedding,
        output,
        "untied embeddings: " + output + " is a separate tensor from " + embeddingText);
  }

  // Position and token-type embeddings are never tied to the output projection.
  private static boolean isTokenEmbedding(TensorName name) {
    String module = name.module();
    return !module.contains("position") && !module.contains("token_type") && !module.endsWith("wpe");
  }
}
