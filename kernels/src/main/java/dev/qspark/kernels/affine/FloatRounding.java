package dev.qspark.kernels.affine;

/**
 * {@code (int) Math.rint(x)} for a float, without the conversion to double in the common case.
 *
 * <p>For {@code |x| <= 2^22}, {@code x + 1.5 * 2^23} lies in {@code [2^23, 2^24]}, where float32
 * has a spacing of exactly 1, so the add rounds {@code x} to an integer with ties to even, as
 * {@code Math.rint} does (the constant is even, so the parity of the sum is the parity of the
 * rounded {@code x}). The float's bits minus the bits of {@code 1.5 * 2^23} are then that integer,
 * since the bits of consecutive floats in that range differ by one.
 */
public final class FloatRounding {

  /** {@code 1.5 * 2^23}. */
  private static final float MAGIC = 0x1.8p23f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  private static final float EXACT_LIMIT = 0x1.0p22f;

  private FloatRounding() {}

  /**
   * Returns {@code (int) Math.rint(x)}: half to even, NaN as 0, and values beyond the int range as
   * {@code Integer.MIN_VALUE} or {@code Integer.MAX_VALUE}.
   */
  public static int rintToInt(float x) {
    if (Math.abs(x) <= EXACT_LIMIT) {
      return Float.floatToRawIntBits(x + MAGIC) - MAGIC_BITS;
    }
    return (int) Math.rint(x);
  }
}
