package dev.qspark.job.exec;

import dev.qspark.kernels.KernelPath;
import java.util.Arrays;

/**
 * Accumulates the error sums of one config on one block from consecutive runs of its values, so
 * that each run can be compared while it is still in the core's cache. Each sum is kept in {@link
 * #PARTIAL_SUMS} interleaved partial sums: value {@code i} of the block goes to partial sum {@code
 * i % 16}, and the partial sums are added pairwise at the end. Independent chains of double additions
 * are not bound by the latency of each addition and map onto vector lanes. The order is fixed by the
 * value's index in the block, so the scalar and the vector path give identical sums, and so does any
 * split of the block into runs.
 *
 * <p>A NaN or infinite dequantized value is counted and left out of every sum. Finite float values
 * never overflow a double, so only a run whose sums come out non-finite takes the counting loop.
 */
final class BlockSumsBuilder {

  /** Partial sums per sum: the lanes of four 256-bit vectors of doubles. */
  static final int PARTIAL_SUMS = 16;

  private static final int MAX_ABS_ERROR = 2 * PARTIAL_SUMS;

  private final KernelPath path;
  private final double[] partials = new double[2 * PARTIAL_SUMS + 1];
  private long elements;
  private long nonFiniteCount;

  BlockSumsBuilder(KernelPath path) {
    this.path = path;
  }

  /** Adds the next {@code input.length} values of the block and their dequantized values. */
  BlockSumsBuilder add(float[] input, float[] dequantized) {
    if (input.length != dequantized.length) {
      throw new IllegalStateException(
          "Cannot compare a block of " + input.length + " values with " + dequantized.length + " dequantized values");
    }
    double[] before = partials.clone();
    accumulate(input, dequantized);
    if (!allFinite(partials)) {
      System.arraycopy(before, 0, partials, 0, partials.length);
      accumulateFinite(input, dequantized);
    }
    elements += input.length;
    return this;
  }

  /** Returns the sums of every value added so far. */
  BlockSums build(long storedBytes) {
    return new BlockSums(elements, sumPairwise(0), sumPairwise(PARTIAL_SUMS), partials[MAX_ABS_ERROR],
        nonFiniteCount, storedBytes, null);
  }

  /** Adds a run, the values before the next multiple of 16 and the tail scalar, the rest on the chosen path. */
  private void accumulate(float[] input, float[] dequantized) {
    int length = input.length;
    int head = Math.min(length, (int) ((PARTIAL_SUMS - elements % PARTIAL_SUMS) % PARTIAL_SUMS));
    int end = head + (length - head) / PARTIAL_SUMS * PARTIAL_SUMS;
    accumulateScalar(input, dequantized, 0, head);
    if (path == KernelPath.VECTOR) {
      VectorBlockComparison.accumulate(input, dequantized, head, end, partials);
    } else {
      accumulateScalar(input, dequantized, head, end);
    }
    accumulateScalar(input, dequantized, end, length);
  }

  /** Adds values {@code [start, end)} of the run, value {@code i} to partial sum {@code (elements + i) % 16}. */
  private void accumulateScalar(float[] input, float[] dequantized, int start, int end) {
    accumulateScalar(input, dequantized, start, end, false);
  }

  /** Adds the run as {@link #accumulateScalar} does, counting and leaving out non-finite dequantized values. */
  private void accumulateFinite(float[] input, float[] dequantized) {
    accumulateScalar(input, dequantized, 0, input.length, true);
  }

  private void accumulateScalar(float[] input, float[] dequantized, int start, int end, boolean skipNonFinite) {
    double maxAbsError = partials[MAX_ABS_ERROR];
    for (int i = start; i < end; i++) {
      if (skipNonFinite && !Float.isFinite(dequantized[i])) {
        nonFiniteCount++;
        continue;
      }
      int lane = (int) ((elements + i) & (PARTIAL_SUMS - 1));
      double x = input[i];
      double error = (double) dequantized[i] - x;
      partials[lane] += error * error;
      partials[PARTIAL_SUMS + lane] += x * x;
      maxAbsError = Math.max(maxAbsError, Math.abs(error));
    }
    partials[MAX_ABS_ERROR] = maxAbsError;
  }

  private double sumPairwise(int offset) {
    double first = (partials[offset] + partials[offset + 1]) + (partials[offset + 2] + partials[offset + 3]);
    double second = (partials[offset + 4] + partials[offset + 5]) + (partials[offset + 6] + partials[offset + 7]);
    double third = (partials[offset + 8] + partials[offset + 9]) + (partials[offset + 10] + partials[offset + 11]);
    double fourth =
        (partials[offset + 12] + partials[offset + 13]) + (partials[offset + 14] + partials[offset + 15]);
    return (first + second) + (third + fourth);
  }

  private static boolean allFinite(double[] values) {
    return Arrays.stream(values).allMatch(Double::isFinite);
  }
}
