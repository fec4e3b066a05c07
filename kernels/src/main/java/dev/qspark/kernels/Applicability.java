package dev.qspark.kernels;

import java.io.Serializable;

/**
 * Whether torchao quantizes a weight of a given shape and dtype under a config.
 *
 * @param status what torchao does with the weight
 * @param reason why it is skipped or rejected; empty when it is quantized
 */
public record Applicability(Status status, String reason) implements Serializable {

  public enum Status {
    /** torchao quantizes the weight. */
    QUANTIZE,
    /** torchao leaves the weight unquantized without an error, e.g. Int4 when in_features % group_size != 0. */
    SKIP,
    /** torchao raises for the weight, e.g. Intx when in_features % group_size != 0. */
    REJECT
  }

  public static final Applicability QUANTIZE = new Applicability(Status.QUANTIZE, "");

  public static Applicability skip(String reason) {
    return new Applicability(Status.SKIP, reason);
  }

  public static Applicability reject(String reason) {
    return new Applicability(Status.REJECT, reason);
  }

  public boolean isQuantized() {
    return status == Status.QUANTIZE;
  }
}
