package dev.qspark.job.verify;

import java.io.Serializable;

/**
 * Error sums of dequantized values against the input, for one block or merged over a tensor.
 * Non-finite dequantized values are counted and left out of the other sums, as the job does.
 *
 * @param elements values compared
 * @param squaredError sum of {@code (dequantized - input)^2}, in double
 * @param signalPower sum of {@code input^2} over the finite dequantized values, in double
 * @param maxAbsError largest {@code |dequantized - input|}
 * @param nonFiniteCount NaN or infinite dequantized values
 */
public record ErrorSums(
    long elements, double squaredError, double signalPower, double maxAbsError, long nonFiniteCount)
    implements Serializable {

  public static final ErrorSums EMPTY = new ErrorSums(0, 0, 0, 0, 0);

  /** Compares the dequantized values of a block with its input values. */
  public static ErrorSums compare(float[] input, float[] dequantized) {
    if (input.length != dequantized.length) {
      throw new IllegalArgumentException("Cannot compare " + input.length + " input values with "
          + dequantized.length + " dequantized values");
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
    return new ErrorSums(input.length, squaredError, signalPower, maxAbsError, nonFinite);
  }

  public ErrorSums merge(ErrorSums other) {
    return new ErrorSums(elements + other.elements, squaredError + other.squaredError,
        signalPower + other.signalPower, Math.max(maxAbsError, other.maxAbsError),
        nonFiniteCount + other.nonFiniteCount);
  }

  /** {@code squaredError / elements}, as the job computes it: non-finite values count in the divisor. */
  public double mse() {
    return squaredError / elements;
  }

  /** {@code 10 log10(signal / noise)}; infinite when the error is zero. */
  public double sqnrDb() {
    return 10 * Math.log10(signalPower / squaredError);
  }

  /** {@code ||dequantized - input|| / ||input||} over the finite values. */
  public double relativeFrobeniusError() {
    return Math.sqrt(squaredError / signalPower);
  }
}
