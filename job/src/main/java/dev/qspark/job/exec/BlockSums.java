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
   * Compares a block's dequantized values with its input values, as {@link BlockSumsBuilder} does
   * for one run of values, on the path {@link KernelPath#selected()} picks.
   */
  public static BlockSums compare(float[] input, float[] dequantized, long storedBytes) {
    return compare(input, dequantized, storedBytes, KernelPath.selected());
  }

  /** Compares as {@link #compare(float[], float[], long)} does, on the given path. */
  static BlockSums compare(float[] input, float[] dequantized, long storedBytes, KernelPath path) {
    return new BlockSumsBuilder(path).add(input, dequantized).build(storedBytes);
  }
}
