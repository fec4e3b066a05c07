package dev.qspark.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of a Hugging Face {@code config.json} that planning uses.
 *
 * @param tieWordEmbeddings {@code tie_word_embeddings}, or null when the file does not set it
 * @param torchDtype {@code torch_dtype} (or {@code dtype}, its newer name), or null when absent
 * @param architectures {@code architectures}, empty when absent
 */
public record ModelConfig(Boolean tieWordEmbeddings, String torchDtype, List<String> architectures) {

  public static final String FILE_NAME = "config.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public ModelConfig {
    architectures = List.copyOf(architectures);
  }

  public Optional<Boolean> tieWordEmbeddingsSetting() {
    return Optional.ofNullable(tieWordEmbeddings);
  }

  /** Parses the bytes of a {@code config.json}; other fields are ignored. */
  public static ModelConfig parse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new InvalidCheckpointException(
          "Cannot read " + FILE_NAME + ": it is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidCheckpointException(
          "Cannot read " + FILE_NAME + ": it must contain a JSON object, not " + root);
    }

    Boolean tie = null;
    JsonNode tieNode = root.get("tie_word_embeddings");
    if (tieNode != null && !tieNode.isNull()) {
      if (!tieNode.isBoolean()) {
        throw new InvalidCheckpointException(
            "Cannot read "
                + FILE_NAME
                + ": tie_word_embeddings is "
                + tieNode
                + " but must be true or false");
      }
      tie = tieNode.booleanValue();
    }

    JsonNode dtypeNode = root.has("torch_dtype") ? root.get("torch_dtype") : root.get("dtype");
    String torchDtype = dtypeNode != null && dtypeNode.isTextual() ? dtypeNode.textValue() : null;

    List<String> architectures = new ArrayList<>();
    JsonNode architecturesNode = root.get("architectures");
    if (architecturesNode != null && architecturesNode.isArray()) {
      for (JsonNode architecture : architecturesNode) {
        architectures.add(architecture.asText());
      }
    }
    return new ModelConfig(tie, torchDtype, architectures);
  }
}
