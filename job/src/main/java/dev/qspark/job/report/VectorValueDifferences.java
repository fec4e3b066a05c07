package dev.qspark.job.report;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API body of {@link ValueDifferences}. Eight floats are loaded at a time and widened into
 * two vectors of four doubles (256-bit vectors, native on AVX2 and AVX-512), so each difference is
 * taken in double precision as in the scalar loop. Lanes whose values are equal contribute 0 to the
 * maximum, and the lanewise maximum propagates NaN as {@link Math#max} does, so the result equals
 * the scalar loop's. Only loaded when {@link dev.qspark.kernels.KernelPath#selected()} is the vector
 * path.
 */
final class VectorValueDifferences {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_256;

  private VectorValueDifferences() {}

  static ValueDifferences of(float[] v1, float[] v2) {
    int end = FLOATS.loopBound(v1.length);
    DoubleVector zero = DoubleVector.zero(DOUBLES);
    DoubleVector maxLow = zero;
    DoubleVector maxHigh = zero;
    long differing = 0;
    for (int i = 0; i < end; i += FLOATS.length()) {
      FloatVector a = FloatVector.fromArray(FLOATS, v1, i);
      FloatVector b = FloatVector.fromArray(FLOATS, v2, i);
      VectorMask<Float> differs = a.compare(VectorOperators.NE, b);
      differing += differs.trueCount();
      DoubleVector aLow = (DoubleVector) a.convertShape(VectorOperators.F2D, DOUBLES, 0);
      DoubleVector aHigh = (DoubleVector) a.convertShape(VectorOperators.F2D, DOUBLES, 1);
      DoubleVector bLow = (DoubleVector) b.convertShape(VectorOperators.F2D, DOUBLES, 0);
      DoubleVector bHigh = (DoubleVector) b.convertShape(VectorOperators.F2D, DOUBLES, 1);
      // Equal infinities subtract to NaN, so equal lanes are replaced by 0 rather than subtracted.
      maxLow = maxLow.max(aLow.sub(bLow).abs().blend(zero, aLow.compare(VectorOperators.EQ, bLow)));
      maxHigh = maxHigh.max(aHigh.sub(bHigh).abs().blend(zero, aHigh.compare(VectorOperators.EQ, bHigh)));
    }
    double maxAbs = maxLow.max(maxHigh).reduceLanes(VectorOperators.MAX);
    return ValueDifferences.scalar(v1, v2, end, v1.length, differing, maxAbs);
  }
}
