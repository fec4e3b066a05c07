package dev.qspark.kernels.simd.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The minimum and maximum of a run of floats, as {@code Math.min} and {@code Math.max} over the run
 * give them: exact and order-independent, with -0.0 below 0.0.
 *
 * <p>The vector body compares ordered integer keys instead of floats: flipping the 31 low bits of
 * negative floats makes signed int order equal float order (-0.0 just below 0.0), and an int min
 * or max is one instruction, where a float one must also order NaN and -0.0. A NaN key lies beyond
 * the keys of the infinities, so a run holding NaN or an infinity gives a non-finite min or max.
 * Callers then raise through the reference scan and use neither value.
 *
 * <p>Both results come packed into one {@code long} (min in the high 32 bits), so that the hot loop
 * allocates nothing; {@link #min(long)} and {@link #max(long)} unpack them.
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
      IntVector lowest = orderedKeys(values, offset);
      IntVector highest = lowest;
      for (int i = offset + VectorShapes.LANES; i < bodyEnd; i += VectorShapes.LANES) {
        IntVector keys = orderedKeys(values, i);
        lowest = lowest.min(keys);
        highest = highest.max(keys);
      }
      min = fromKey(lowest.reduceLanes(VectorOperators.MIN));
      max = fromKey(highest.reduceLanes(VectorOperators.MAX));
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

  private static IntVector orderedKeys(float[] values, int offset) {
    IntVector bits = FloatVector.fromArray(VectorShapes.FLOATS, values, offset).reinterpretAsInts();
    return bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7FFF_FFFF));
  }

  /** Returns the float of an ordered key; the key transform is its own inverse. */
  private static float fromKey(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFF_FFFF));
  }

  private static long pack(float min, float max) {
    return ((long) Float.floatToRawIntBits(min) << 32) | (Float.floatToRawIntBits(max) & 0xFFFF_FFFFL);
  }
}
