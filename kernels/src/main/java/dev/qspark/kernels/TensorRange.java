package dev.qspark.kernels;

import java.io.Serializable;

/**
 * The minimum and maximum over a whole weight, for configs with per-tensor granularity.
 *
 * <p>Min and max are exact in any order of reduction, so the range of the whole tensor can be
 * merged from the ranges of its blocks computed anywhere.
 */
public record TensorRange(float min, float max) implements Serializable {

  public static final TensorRange EMPTY = new TensorRange(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);

  public TensorRange merge(TensorRange other) {
    return new TensorRange(Math.min(min, other.min), Math.max(max, other.max));
  }

  /** Returns the range of the given values. */
  public static TensorRange of(float[] values) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float value : values) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    return new TensorRange(min, max);
  }
}
