package dev.qspark.kernels.simd.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The minimum and maximum of a run of floats, as {@code Math.min} and {@code Math.max} over the run
 * give them: min and max are exact and order-independent, NaN propagates and -0.0 is below 0.0.
 *
 * <p>Both are returned packed into one {@code long} (min in the high 32 bits) so that the hot loop
 * allocates nothing; {@link #min(long)} and {@link #max(long)} unpack them. A non-finite result
 * means the run holds NaN or an infinity.
 */
final class VectorGroupRange {

  private VectorGroupRange() {}

  /** Returns the packed range of {@code values[offset, offset + length)}, vector body then scalar tail. */
  static long of(float[] values, int offset, int length) {
    int end = offset + length;
    int bodyEnd = offset + VectorShapes.FLOATS.loopBound(length);
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    if (bodyEnd > offset) {
      FloatVector lowest = FloatVector.fromArray(VectorShapes.FLOATS, values, offset);
      FloatVector highest = lowest;
      for (int i = offset + VectorShapes.LANES; i < bodyEnd; i += VectorShapes.LANES) {
        FloatVector v = FloatVector.fromArray(VectorShapes.FLOATS, values, i);
        lowest = lowest.min(v);
        highest = highest.max(v);
      }
      min = lowest.reduceLanes(VectorOperators.MIN);
      max = highest.reduceLanes(VectorOperators.MAX);
    }
    for (int i = bodyEnd; i < end; i++) {
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    return pack(min, max);
  }

  static float min(long range) {
    return Float.intBitsToFloat((int) (range >>> 32));
  }

  static float max(long range) {
    return Float.intBitsToFloat((int) range);
  }

  static boolean isFinite(long range) {
    return Float.isFinite(min(range)) && Float.isFinite(max(range));
  }

  private static long pack(float min, float max) {
    return ((long) Float.floatToRawIntBits(min) << 32) | (Float.floatToRawIntBits(max) & 0xFFFF_FFFFL);
  }
}
