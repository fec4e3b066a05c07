package dev.qspark.checkpoint;

import java.util.Locale;
import java.util.Set;

/** Purpose of a tensor, guessed from its name under the usual Hugging Face schemes. */
public enum TensorRole {
  /** Input or position embeddings: {@code embed_tokens}, {@code wte}, {@code word_embeddings}. */
  EMBEDDING,
  /** The output projection to the vocabulary: {@code lm_head}, GPT-NeoX's {@code embed_out}. */
  OUTPUT_PROJECTION,
  /** A normalization layer: {@code input_layernorm}, {@code LayerNorm}, GPT-2's {@code ln_1}. */
  NORM,
  OTHER;

  private static final Set<String> EMBEDDING_MODULES = Set.of("wte", "wpe", "embed_in");

  private static final Set<String> OUTPUT_MODULES = Set.of("lm_head", "embed_out");

  public static TensorRole of(TensorName name) {
    String last = lastSegment(name.module()).toLowerCase(Locale.ROOT);
    if (OUTPUT_MODULES.contains(last) || (name.layer() == null && name.module().equals("output"))) {
      return OUTPUT_PROJECTION;
    }
    if (last.contains("embed") || EMBEDDING_MODULES.contains(last)) {
      return EMBEDDING;
    }
    if (last.contains("norm") || last.equals("ln") || last.startsWith("ln_")) {
      return NORM;
    }
    return OTHER;
  }

  private static String lastSegment(String module) {
    int lastDot = module.lastIndexOf('.');
    return lastDot < 0 ? module : module.substring(lastDot + 1);
  }
}
