package dev.qspark.checkpoint;

import java.io.Serializable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides which tensors are quantized. By default these are the weights of linear layers, as
 * torchao's {@code quantize_} selects {@code nn.Linear} modules: 2-D F32, BF16 or F16 {@code
 * *.weight} tensors other than embeddings, the output projection ({@code lm_head}) and norms.
 *
 * <p>An {@code include} pattern replaces the name rules: a tensor is quantized when the pattern
 * is found in its name, so {@code --include embed_tokens} quantizes the embeddings and nothing
 * else. An {@code exclude} pattern keeps every tensor whose name it is found in, and wins over
 * {@code include}. Neither can select a tensor that is not a non-empty 2-D F32, BF16 or F16
 * tensor. Patterns are Java regular expressions searched anywhere in the name ({@link
 * java.util.regex.Matcher#find()}); anchor them with {@code ^} and {@code $} to match whole names.
 */
public final class TensorSelection implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Pattern include;
  private final Pattern exclude;

  /**
   * @param include tensors to quantize instead of the default linear weights, or null
   * @param exclude tensors to keep, or null
   */
  public TensorSelection(Pattern include, Pattern exclude) {
    this.include = include;
    this.exclude = exclude;
  }

  /** Returns the default selection, which quantizes linear weights only. */
  public static TensorSelection defaults() {
    return new TensorSelection(null, null);
  }

  /**
   * Compiles the {@code --include} and {@code --exclude} options; null or empty means unset.
   *
   * @throws IllegalArgumentException when a pattern is not a valid regular expression
   */
  public static TensorSelection fromOptions(String include, String exclude) {
    return new TensorSelection(compile("--include", include), compile("--exclude", exclude));
  }

  private static Pattern compile(String option, String regex) {
    if (regex == null || regex.isEmpty()) {
      return null;
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "Cannot use " + option + " \"" + regex + "\": invalid regular expression: "
              + e.getDescription() + " at index " + e.getIndex(),
          e);
    }
  }

  public SelectionDecision decide(TensorEntry tensor) {
    if (exclude != null && exclude.matcher(tensor.name()).find()) {
      return SelectionDecision.keep("matches --exclude " + exclude.pattern());
    }
    String unsupported = unsupportedReason(tensor);
    if (unsupported != null) {
      return SelectionDecision.keep(unsupported);
    }
    if (include != null) {
      return include.matcher(tensor.name()).find()
          ? SelectionDecision.quantize("matches --include " + include.pattern())
          : SelectionDecision.keep("does not match --include " + include.pattern());
    }
    return decideByName(TensorName.parse(tensor.name()));
  }

  /** Returns why the tensor cannot be quantized at all, or null when it can. */
  private static String unsupportedReason(TensorEntry tensor) {
    Dtype dtype = tensor.dtype();
    switch (dtype.kind()) {
      case INTEGER:
        return "integer tensor (" + dtype + ")";
      case BOOLEAN:
        return "boolean tensor";
      case LOW_PRECISION_FLOAT:
        return "already low precision (" + dtype + ")";
      case DOUBLE:
        return "F64; only F32, BF16 and F16 weights are quantized";
      case COMPLEX:
        return "complex tensor (" + dtype + ")";
      case FLOAT:
        break;
    }
    if (tensor.rank() != 2) {
      TensorName name = TensorName.parse(tensor.name());
      String kind = tensor.rank() + "-D tensor";
      if (name.parameter().equals("bias")) {
        kind = "bias";
      } else if (TensorRole.of(name) == TensorRole.NORM) {
        kind = "norm";
      }
      return kind + "; only 2-D weights are quantized";
    }
    if (tensor.elementCount() == 0) {
      return "empty tensor";
    }
    return null;
  }

  private static SelectionDecision decideByName(TensorName name) {
    switch (TensorRole.of(name)) {
      case EMBEDDING:
        return SelectionDecision.keep("embedding");
      case OUTPUT_PROJECTION:
        return SelectionDecision.keep("output projection");
      case NORM:
        return SelectionDecision.keep("norm");
      case OTHER:
        break;
    }
    if (!name.parameter().equals("weight")) {
      return SelectionDecision.keep("not a weight (" + name.parameter() + ")");
    }
    return SelectionDecision.quantize("linear weight");
  }
}
