package dev.qspark.job.exec;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link BlockSumsBuilder}: the same sixteen partial sums in the same order as
 * the scalar loop, so both give identical sums. Sixteen floats are loaded at a time and widened to
 * doubles: two vectors of eight on CPUs with 512-bit vectors, else four vectors of four, which AVX2
 * runs natively. Each vector of doubles adds into its own accumulator, so several additions per sum
 * are in flight at once. Only loaded when {@link dev.qspark.kernels.KernelPath#selected()} is the
 * vector path.
 *
 * <p>The largest absolute error is kept as the bits of the absolute value, compared as longs. Without
 * the sign bit, the order of a double's bits is the order of its values, with NaN above infinity. A
 * long maximum is one instruction, while a double maximum with Java's rules for NaN and negative
 * zero takes several. The error sums of a chunk in cache went from 0.38 to 0.29 ns per value with
 * long maximums (job/bench/StageCosts.java).
 */
final class VectorBlockComparison {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Float> WIDE_FLOATS = FloatVector.SPECIES_512;
  private static final VectorSpecies<Double> WIDE_DOUBLES = DoubleVector.SPECIES_512;
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_256;
  private static final VectorSpecies<Long> WIDE_LONGS = LongVector.SPECIES_512;

  /** Clears a double's sign bit. */
  private static final long MAGNITUDE_BITS = 0x7FFF_FFFF_FFFF_FFFFL;

  /** Whether the CPU has 512-bit vectors, on which two vectors of eight doubles hold the sixteen partial sums. */
  private static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

  private VectorBlockComparison() {}

  /**
   * Accumulates values {@code [start, end)} into {@code partials}, value {@code i} into partial sum
   * {@code (i - start) % 16}; {@code end - start} is a multiple of {@link
   * BlockSumsBuilder#PARTIAL_SUMS}. A NaN or infinite dequantized value makes the sums NaN or
   * infinite.
   *
   * @param partials {@code [squared error x 16, signal power x 16, max abs error]}, added to in place
   */
  static void accumulate(float[] input, float[] dequantized, int start, int end, double[] partials) {
    if (WIDE) {
      accumulateWide(input, dequantized, start, end, partials);
    } else {
      accumulateNarrow(input, dequantized, start, end, partials);
    }
  }

  /** Accumulates as {@link #accumulate} with 512-bit vectors: partial sums 0..7 and 8..15 in one vector each. */
  static void accumulateWide(float[] input, float[] dequantized, int start, int end, double[] partials) {
    DoubleVector squaredLow = DoubleVector.fromArray(WIDE_DOUBLES, partials, 0);
    DoubleVector squaredHigh = DoubleVector.fromArray(WIDE_DOUBLES, partials, 8);
    DoubleVector signalLow = DoubleVector.fromArray(WIDE_DOUBLES, partials, 16);
    DoubleVector signalHigh = DoubleVector.fromArray(WIDE_DOUBLES, partials, 24);
    LongVector maxAbs = LongVector.broadcast(WIDE_LONGS, Double.doubleToRawLongBits(partials[32]));
    for (int i = start; i < end; i += 16) {
      FloatVector x = FloatVector.fromArray(WIDE_FLOATS, input, i);
      FloatVector y = FloatVector.fromArray(WIDE_FLOATS, dequantized, i);
      DoubleVector xLow = (DoubleVector) x.convertShape(VectorOperators.F2D, WIDE_DOUBLES, 0);
      DoubleVector xHigh = (DoubleVector) x.convertShape(VectorOperators.F2D, WIDE_DOUBLES, 1);
      DoubleVector errorLow = ((DoubleVector) y.convertShape(VectorOperators.F2D, WIDE_DOUBLES, 0)).sub(xLow);
      DoubleVector errorHigh = ((DoubleVector) y.convertShape(VectorOperators.F2D, WIDE_DOUBLES, 1)).sub(xHigh);
      squaredLow = squaredLow.add(errorLow.mul(errorLow));
      squaredHigh = squaredHigh.add(errorHigh.mul(errorHigh));
      signalLow = signalLow.add(xLow.mul(xLow));
      signalHigh = signalHigh.add(xHigh.mul(xHigh));
      LongVector magnitudeLow = ((LongVector) errorLow.reinterpretShape(WIDE_LONGS, 0)).and(MAGNITUDE_BITS);
      LongVector magnitudeHigh = ((LongVector) errorHigh.reinterpretShape(WIDE_LONGS, 0)).and(MAGNITUDE_BITS);
      maxAbs = maxAbs.max(magnitudeLow.max(magnitudeHigh));
    }
    squaredLow.intoArray(partials, 0);
    squaredHigh.intoArray(partials, 8);
    signalLow.intoArray(partials, 16);
    signalHigh.intoArray(partials, 24);
    partials[32] = Double.longBitsToDouble(maxAbs.reduceLanes(VectorOperators.MAX));
  }

  /** Accumulates as {@link #accumulate} with 256-bit vectors, native on AVX2 too. */
  static void accumulateNarrow(float[] input, float[] dequantized, int start, int end, double[] partials) {
    DoubleVector squared0 = DoubleVector.fromArray(DOUBLES, partials, 0);
    DoubleVector squared1 = DoubleVector.fromArray(DOUBLES, partials, 4);
    DoubleVector squared2 = DoubleVector.fromArray(DOUBLES, partials, 8);
    DoubleVector squared3 = DoubleVector.fromArray(DOUBLES, partials, 12);
    DoubleVector signal0 = DoubleVector.fromArray(DOUBLES, partials, 16);
    DoubleVector signal1 = DoubleVector.fromArray(DOUBLES, partials, 20);
    DoubleVector signal2 = DoubleVector.fromArray(DOUBLES, partials, 24);
    DoubleVector signal3 = DoubleVector.fromArray(DOUBLES, partials, 28);
    LongVector maxLow = LongVector.broadcast(LONGS, Double.doubleToRawLongBits(partials[32]));
    LongVector maxHigh = maxLow;

    for (int i = start; i < end; i += 16) {
      FloatVector xLow = FloatVector.fromArray(FLOATS, input, i);
      FloatVector xHigh = FloatVector.fromArray(FLOATS, input, i + 8);
      FloatVector yLow = FloatVector.fromArray(FLOATS, dequantized, i);
      FloatVector yHigh = FloatVector.fromArray(FLOATS, dequantized, i + 8);
      DoubleVector x0 = (DoubleVector) xLow.convertShape(VectorOperators.F2D, DOUBLES, 0);
      DoubleVector x1 = (DoubleVector) xLow.convertShape(VectorOperators.F2D, DOUBLES, 1);
      DoubleVector x2 = (DoubleVector) xHigh.convertShape(VectorOperators.F2D, DOUBLES, 0);
      DoubleVector x3 = (DoubleVector) xHigh.convertShape(VectorOperators.F2D, DOUBLES, 1);
      DoubleVector error0 = ((DoubleVector) yLow.convertShape(VectorOperators.F2D, DOUBLES, 0)).sub(x0);
      DoubleVector error1 = ((DoubleVector) yLow.convertShape(VectorOperators.F2D, DOUBLES, 1)).sub(x1);
      DoubleVector error2 = ((DoubleVector) yHigh.convertShape(VectorOperators.F2D, DOUBLES, 0)).sub(x2);
      DoubleVector error3 = ((DoubleVector) yHigh.convertShape(VectorOperators.F2D, DOUBLES, 1)).sub(x3);
      squared0 = squared0.add(error0.mul(error0));
      squared1 = squared1.add(error1.mul(error1));
      squared2 = squared2.add(error2.mul(error2));
      squared3 = squared3.add(error3.mul(error3));
      signal0 = signal0.add(x0.mul(x0));
      signal1 = signal1.add(x1.mul(x1));
      signal2 = signal2.add(x2.mul(x2));
      signal3 = signal3.add(x3.mul(x3));
      LongVector magnitude0 = ((LongVector) error0.reinterpretShape(LONGS, 0)).and(MAGNITUDE_BITS);
      LongVector magnitude1 = ((LongVector) error1.reinterpretShape(LONGS, 0)).and(MAGNITUDE_BITS);
      LongVector magnitude2 = ((LongVector) error2.reinterpretShape(LONGS, 0)).and(MAGNITUDE_BITS);
      LongVector magnitude3 = ((LongVector) error3.reinterpretShape(LONGS, 0)).and(MAGNITUDE_BITS);
      maxLow = maxLow.max(magnitude0.max(magnitude1));
      maxHigh = maxHigh.max(magnitude2.max(magnitude3));
    }
    squared0.intoArray(partials, 0);
    squared1.intoArray(partials, 4);
    squared2.intoArray(partials, 8);
    squared3.intoArray(partials, 12);
    signal0.intoArray(partials, 16);
    signal1.intoArray(partials, 20);
    signal2.intoArray(partials, 24);
    signal3.intoArray(partials, 28);
    partials[32] = Double.longBitsToDouble(maxLow.max(maxHigh).reduceLanes(VectorOperators.MAX));
  }
}
