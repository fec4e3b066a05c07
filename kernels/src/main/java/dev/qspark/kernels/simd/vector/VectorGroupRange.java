package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.affine.GroupRange;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link GroupRange#of} and {@link GroupRange#maxMagnitude} with a vector body and a scalar tail: the
 * same integer comparisons, the vector length at a time, and the same results.
 */
final class VectorGroupRange {

  private VectorGroupRange() {}

  /** Returns the packed range of {@code values[offset, offset + length)}, vector body then scalar tail. */
  static long of(float[] values, int offset, int length) {
    int bodyLength = VectorShapes.FLOATS.loopBound(length);
    if (bodyLength == 0) {
      return GroupRange.of(values, offset, length);
    }
    int bodyEnd = offset + bodyLength;
    // The keys are computed in the loop rather than in a helper because a vector passed to or from
    // a call that C2 does not inline is allocated on the heap.
    IntVector lowest = IntVector.broadcast(VectorShapes.INTS, Integer.MAX_VALUE);
    IntVector highest = IntVector.broadcast(VectorShapes.INTS, Integer.MIN_VALUE);
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      IntVector bits = (IntVector) FloatVector.fromArray(VectorShapes.FLOATS, values, i)
          .reinterpretShape(VectorShapes.INTS, 0);
      IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31)
          .and(0x7FFF_FFFF));
      lowest = lowest.min(keys);
      highest = highest.max(keys);
    }
    int minKey = lowest.reduceLanes(VectorOperators.MIN);
    int maxKey = highest.reduceLanes(VectorOperators.MAX);
    for (int i = bodyEnd; i < offset + length; i++) {
      int key = GroupRange.orderedKey(values[i]);
      minKey = Math.min(minKey, key);
      maxKey = Math.max(maxKey, key);
    }
    return GroupRange.packKeys(minKey, maxKey);
  }

  /** {@link GroupRange#maxMagnitude} with a vector body and a scalar tail. */
  static float maxMagnitude(float[] values, int offset, int length) {
    int bodyEnd = offset + VectorShapes.FLOATS.loopBound(length);
    IntVector highest = IntVector.zero(VectorShapes.INTS);
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      IntVector magnitudes = ((IntVector) FloatVector.fromArray(VectorShapes.FLOATS, values, i)
          .reinterpretShape(VectorShapes.INTS, 0)).and(0x7FFF_FFFF);
      highest = highest.max(magnitudes);
    }
    int maxBits = highest.reduceLanes(VectorOperators.MAX);
    for (int i = bodyEnd; i < offset + length; i++) {
      maxBits = Math.max(maxBits, Float.floatToRawIntBits(values[i]) & 0x7FFF_FFFF);
    }
    return Float.intBitsToFloat(maxBits);
  }
}
