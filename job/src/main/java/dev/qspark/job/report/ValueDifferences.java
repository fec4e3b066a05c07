package dev.qspark.job.report;

import dev.qspark.kernels.KernelPath;

/**
 * Counts where two versions' dequantized values differ, and the largest absolute difference. The
 * scalar loop is the reference; on {@link KernelPath#VECTOR} the Vector API body in {@link
 * VectorValueDifferences} gives the same count and maximum.
 *
 * @param differing values that differ ({@code !=}, so a NaN always differs)
 * @param maxAbsDifference largest {@code |v1 - v2|} in double precision over the differing values, 0
 *     when none differ, NaN when any difference is NaN (as {@link Math#max} propagates NaN)
 */
record ValueDifferences(long differing, double maxAbsDifference) {

  /** Compares {@code v1} and {@code v2} element by element on the path this JVM selected. */
  static ValueDifferences of(float[] v1, float[] v2) {
    return of(v1, v2, KernelPath.selected());
  }

  static ValueDifferences of(float[] v1, float[] v2, KernelPath path) {
    if (v1.length != v2.length) {
      throw new IllegalArgumentException(
          "Cannot compare " + v1.length + " dequantized values of version 1 with " + v2.length + " of version 2");
    }
    if (path == KernelPath.VECTOR) {
      return VectorValueDifferences.of(v1, v2);
    }
    return scalar(v1, v2, 0, v1.length, 0, 0);
  }

  /** Adds the values {@code [start, end)} to a count and maximum carried from earlier values. */
  static ValueDifferences scalar(float[] v1, float[] v2, int start, int end, long differing, double maxAbs) {
    for (int i = start; i < end; i++) {
      if (v1[i] != v2[i]) {
        differing++;
        maxAbs = Math.max(maxAbs, Math.abs((double) v1[i] - v2[i]));
      }
    }
    return new ValueDifferences(differing, maxAbs);
  }
}
