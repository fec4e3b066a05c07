package dev.qspark.job.exec;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link BlockSums#compare}: the same eight partial sums in the same order as
 * the scalar loop, so both give identical sums. Eight floats are loaded at a time and widened into two
 * vectors of four doubles, which are 256-bit vectors, native on both AVX2 and AVX-512. Only loaded when
 * {@link dev.qspark.kernels.KernelPath#selected()} is the vector path.
 */
final class VectorBlockComparison {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_256;

  private VectorBlockComparison() {}

  /**
   * Accumulates values {@code [0, end)} into {@code partials}, where {@code end} is a multiple of
   * {@link BlockSums#PARTIAL_SUMS}. A NaN or infinite dequantized value makes the sums NaN or infinite.
   *
   * @param partials {@code [squared error x 8, signal power x 8, max abs error]}, added to in place
   */
  static void accumulate(float[] input, float[] dequantized, int end, double[] partials) {
    DoubleVector squaredLow = DoubleVector.fromArray(DOUBLES, partials, 0);
    DoubleVector squaredHigh = DoubleVector.fromArray(DOUBLES, partials, 4);
    DoubleVector signalLow = DoubleVector.fromArray(DOUBLES, partials, 8);
    DoubleVector signalHigh = DoubleVector.fromArray(DOUBLES, partials, 12);
    DoubleVector maxAbs = DoubleVector.broadcast(DOUBLES, partials[16]);
    for (int i = 0; i < end; i += 8) {
      FloatVector x = FloatVector.fromArray(FLOATS, input, i);
      FloatVector y = FloatVector.fromArray(FLOATS, dequantized, i);
      DoubleVector xLow = (DoubleVector) x.convertShape(VectorOperators.F2D, DOUBLES, 0);
      DoubleVector xHigh = (DoubleVector) x.convertShape(VectorOperators.F2D, DOUBLES, 1);
      DoubleVector errorLow = ((DoubleVector) y.convertShape(VectorOperators.F2D, DOUBLES, 0)).sub(xLow);
      DoubleVector errorHigh = ((DoubleVector) y.convertShape(VectorOperators.F2D, DOUBLES, 1)).sub(xHigh);
      squaredLow = squaredLow.add(errorLow.mul(errorLow));
      squaredHigh = squaredHigh.add(errorHigh.mul(errorHigh));
      signalLow = signalLow.add(xLow.mul(xLow));
      signalHigh = signalHigh.add(xHigh.mul(xHigh));
      maxAbs = maxAbs.max(errorLow.abs()).max(errorHigh.abs());
    }
    squaredLow.intoArray(partials, 0);
    squaredHigh.intoArray(partials, 4);
    signalLow.intoArray(partials, 8);
    signalHigh.intoArray(partials, 12);
    partials[16] = maxAbs.reduceLanes(VectorOperators.MAX);
  }
}
