package dev.qspark.job.exec;

import dev.qspark.kernels.KernelPath;
import java.io.Serializable;

/**
 * Error sums of one config on one block, computed from {@code dequantize} against the input in the
 * same pass as the quantization, or the reason the block could not be quantized.
 *
 * @param elements values in the block
 * @param squaredError sum of {@code (dequantized - input)^2}, in double
 * @param signalPower sum of {@code input^2}, in double
 * @param maxAbsError largest {@code |dequantized - input|}
 * @param nonFiniteCount NaN or infinite values: in the dequantized output for a quantized block, in
 *     the input for a rejected one
 * @param storedBytes bytes of qdata plus qparams as stored; a per-tensor scale counts in the block at row 0 only
 * @param rejection null for a quantized block, else why the tensor is rejected
 */
public record BlockSums(
    long elements,
    double squaredError,
    double signalPower,
    double maxAbsError,
    long nonFiniteCount,
    long storedBytes,
    String rejection)
    implements Serializable {

  public boolean isRejected() {
    return rejection != null;
  }

  public static BlockSums rejected(long elements, long nonFiniteCount, String reason) {
    return new BlockSums(elements, 0, 0, 0, nonFiniteCount, 0, reason);
  }

  /**
   * Compares a block's dequantized values with its input values. Each sum is kept in {@link
   * #PARTIAL_SUMS} interleaved partial sums (value {@code i} goes to partial sum {@code i % 8}), added
   * pairwise at the end. Independent chains of double additions are not bound by the latency of each
   * addition and map onto vector lanes; the order is fixed, so the scalar and the vector path (as
   * {@link KernelPath#selected()} picks) give identical sums, and equal blocks give equal sums.
   */
  public static BlockSums compare(float[] input, float[] dequantized, long storedBytes) {
    return compare(input, dequantized, storedBytes, KernelPath.selected());
  }

  /** Compares as {@link #compare(float[], float[], long)} does, on the given path. */
  static BlockSums compare(float[] input, float[] dequantized, long storedBytes, KernelPath path) {
    if (input.length != dequantized.length) {
      throw new IllegalStateException(
          "Cannot compare a block of " + input.length + " values with " + dequantized.length + " dequantized values");
    }
    int length = input.length;
    int end = length - length % PARTIAL_SUMS;
    double[] partials = new double[2 * PARTIAL_SUMS + 1];
    if (path == KernelPath.VECTOR) {
      VectorBlockComparison.accumulate(input, dequantized, end, partials);
    } else {
      accumulate(input, dequantized, 0, end, partials);
    }
    accumulate(input, dequantized, end, length, partials);
    double squaredError = sumPairwise(partials, 0);
    double signalPower = sumPairwise(partials, PARTIAL_SUMS);
    double maxAbsError = partials[2 * PARTIAL_SUMS];
    // A NaN or infinite dequantized value makes its error, and so the sums, NaN or infinite, while
    // finite float values never overflow a double: only such a block takes the counting loop.
    if (!Double.isFinite(squaredError) || !Double.isFinite(maxAbsError)) {
      return compareWithNonFinite(input, dequantized, storedBytes);
    }
    return new BlockSums(length, squaredError, signalPower, maxAbsError, 0, storedBytes, null);
  }

  /** Partial sums per sum in {@link #compare}: the lanes of two 256-bit vectors of doubles. */
  static final int PARTIAL_SUMS = 8;

  /**
   * Accumulates values {@code [start, end)} as {@link VectorBlockComparison#accumulate} does, with
   * value {@code i} in partial sum {@code i % 8}; {@code start} is a multiple of 8.
   */
  private static void accumulate(float[] input, float[] dequantized, int start, int end, double[] partials) {
    double maxAbsError = partials[2 * PARTIAL_SUMS];
    for (int i = start; i < end; i++) {
      int lane = i & (PARTIAL_SUMS - 1);
      double x = input[i];
      double error = (double) dequantized[i] - x;
      partials[lane] += error * error;
      partials[PARTIAL_SUMS + lane] += x * x;
      maxAbsError = Math.max(maxAbsError, Math.abs(error));
    }
    partials[2 * PARTIAL_SUMS] = maxAbsError;
  }

  private static double sumPairwise(double[] partials, int offset) {
    double first = (partials[offset] + partials[offset + 1]) + (partials[offset + 2] + partials[offset + 3]);
    double second = (partials[offset + 4] + partials[offset + 5]) + (partials[offset + 6] + partials[offset + 7]);
    return first + second;
  }

  /** Compares as {@link #compare} does, in one sum, for a block whose dequantized values are not all finite. */
  private static BlockSums compareWithNonFinite(float[] input, float[] dequantized, long storedBytes) {
    double squaredError = 0;
    double signalPower = 0;
    double maxAbsError = 0;
    long nonFinite = 0;
    for (int i = 0; i < input.length; i++) {
      double x = input[i];
      double y = dequantized[i];
      if (!Double.isFinite(y)) {
        nonFinite++;
        continue;
      }
      double error = y - x;
      squaredError += error * error;
      signalPower += x * x;
      maxAbsError = Math.max(maxAbsError, Math.abs(error));
    }
    return new BlockSums(input.length, squaredError, signalPower, maxAbsError, nonFinite, storedBytes, null);
  }
}
