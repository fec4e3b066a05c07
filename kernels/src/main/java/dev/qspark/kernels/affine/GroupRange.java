package dev.qspark.kernels.affine;

/**
 * The minimum and maximum of a run of floats, as {@code Math.min} and {@code Math.max} over the run
 * give them: exact and order-independent, with -0.0 below 0.0.
 *
 * <p>The loop compares ordered integer keys instead of floats: flipping the 31 low bits of
 * negative floats makes signed int order equal float order (-0.0 just below 0.0), and an int
 * min or max is a compare and a conditional move, where {@code Math.min} on floats must also order
 * NaN and -0.0. A NaN key lies beyond the keys of the infinities, so a run that contains NaN or
 * an infinity gives a non-finite min or max. Callers then raise through a scan that names the
 * groups.
 *
 * <p>Both results come packed into one {@code long} (min in the high 32 bits), so that the hot
 * loop allocates nothing; {@link #min(long)} and {@link #max(long)} unpack them.
 */
public final class GroupRange {

  private GroupRange() {}

  /** Returns the packed range of {@code values[offset, offset + length)}; an empty run gives (+inf, -inf). */
  public static long of(float[] values, int offset, int length) {
    if (length == 0) {
      return pack(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }
    // Two independent pairs of accumulators halve the chain of dependent compares.
    int lowEven = Integer.MAX_VALUE;
    int highEven = Integer.MIN_VALUE;
    int lowOdd = Integer.MAX_VALUE;
    int highOdd = Integer.MIN_VALUE;
    int end = offset + length;
    int pairsEnd = offset + (length & ~1);
    for (int i = offset; i < pairsEnd; i += 2) {
      int even = orderedKey(values[i]);
      int odd = orderedKey(values[i + 1]);
      lowEven = Math.min(lowEven, even);
      highEven = Math.max(highEven, even);
      lowOdd = Math.min(lowOdd, odd);
      highOdd = Math.max(highOdd, odd);
    }
    if (pairsEnd < end) {
      int last = orderedKey(values[pairsEnd]);
      lowEven = Math.min(lowEven, last);
      highEven = Math.max(highEven, last);
    }
    return packKeys(Math.min(lowEven, lowOdd), Math.max(highEven, highOdd));
  }

  /**
   * Returns {@code max(|x|)} over {@code values[offset, offset + length)}, or 0.0 for an empty run;
   * NaN or infinite when the run contains NaN or an infinity. The magnitudes are compared as ints,
   * since the bits of non-negative floats order as the floats do and a NaN's lie beyond infinity's.
   */
  public static float maxMagnitude(float[] values, int offset, int length) {
    int maxBits = 0;
    for (int i = offset; i < offset + length; i++) {
      maxBits = Math.max(maxBits, Float.floatToRawIntBits(values[i]) & 0x7FFF_FFFF);
    }
    return Float.intBitsToFloat(maxBits);
  }

  public static float min(long range) {
    return Float.intBitsToFloat((int) (range >>> 32));
  }

  public static float max(long range) {
    return Float.intBitsToFloat((int) range);
  }

  /** Returns whether both the min and the max are finite, which means the run contains no NaN and no infinity. */
  public static boolean isFinite(long range) {
    return Float.isFinite(min(range)) && Float.isFinite(max(range));
  }

  /** Packs a min and a max as {@link #of} returns them. */
  public static long pack(float min, float max) {
    return ((long) Float.floatToRawIntBits(min) << 32) | (Float.floatToRawIntBits(max) & 0xFFFF_FFFFL);
  }

  /** Packs the ordered keys of a min and a max as {@link #of} returns them. */
  public static long packKeys(int minKey, int maxKey) {
    return pack(fromKey(minKey), fromKey(maxKey));
  }

  /** Returns the int whose signed order is the float order of {@code value}, -0.0 below 0.0. */
  public static int orderedKey(float value) {
    int bits = Float.floatToRawIntBits(value);
    return bits ^ ((bits >> 31) & 0x7FFF_FFFF);
  }

  /** Returns the float of an ordered key; the key transform is its own inverse. */
  public static float fromKey(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFF_FFFF));
  }
}
