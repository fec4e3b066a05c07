package dev.qspark.job.exec;

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

  /** Compares a block's dequantized values with its input values. */
  public static BlockSums compare(float[] input, float[] dequantized, long storedBytes) {
    if (input.length != dequantized.length) {
      throw new IllegalStateException(
          "Cannot compare a block of " + input.length + " values with " + dequantized.length + " dequantized values");
    }
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
