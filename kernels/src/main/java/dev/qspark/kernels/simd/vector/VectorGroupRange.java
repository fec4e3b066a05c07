package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.affine.GroupRange;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link GroupRange#of} with a vector body and a scalar tail: the same ordered integer keys, compared
 * sixteen (or the vector length) at a time, and the same packed result.
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
    IntVector lowest = orderedKeys(values, offset);
    IntVector highest = lowest;
    for (int i = offset + VectorShapes.LANES; i < bodyEnd; i += VectorShapes.LANES) {
      IntVector keys = orderedKeys(values, i);
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

  private static IntVector orderedKeys(float[] values, int offset) {
    IntVector bits = FloatVector.fromArray(VectorShapes.FLOATS, values, offset).reinterpretAsInts();
    return bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7FFF_FFFF));
  }
}
