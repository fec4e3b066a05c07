package dev.qspark.job.plan;

import java.util.Locale;

/** What a job does with one tensor under one config; the {@code status} column of {@code metrics/}. */
public enum TensorStatus {
  /** Quantized and written to {@code quantized/}. */
  QUANTIZED,
  /** Not a quantization target (a norm, an embedding, a bias, or excluded by a pattern). */
  KEPT,
  /** A target that torchao leaves unquantized without an error, e.g. Int4 with in_features 172 and group 128. */
  SKIPPED,
  /** A target that torchao raises for, or whose weights contain NaN or infinite values. */
  REJECTED;

  /** The lower-case name written to Parquet and printed in reports. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
