package dev.qspark.kernels.simd.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise roundings that match the scalar reference bit for bit, built from float adds and
 * integer bit operations.
 *
 * <p>The float-to-int conversion is avoided on purpose: on JDK 17.0.15 with AVX-512, a 512-bit
 * {@code FloatVector} to {@code IntVector} conversion was measured not to compile to vector
 * instructions, while an add of
 * {@code 1.5 * 2^23} is one instruction. For {@code |x| <= 2^22}, {@code x + 1.5 * 2^23} lies in
 * {@code [2^23, 2^24]}, where float32 has a spacing of exactly 1, so the add rounds {@code x} to an
 * integer with ties to even, as {@code Math.rint} does, and the float's bits minus the bits of
 * {@code 1.5 * 2^23} are that integer.
 */
final class VectorRounding {

  /** {@code 1.5 * 2^23}. */
  private static final float MAGIC = 0x1.8p23f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);

  /** The largest magnitude {@link #rintToInt} rounds exactly: {@code 2^22}. */
  static final float RINT_LIMIT = 0x1.0p22f;
  private static final int RINT_LIMIT_BITS = Float.floatToRawIntBits(RINT_LIMIT);

  private VectorRounding() {}

  /**
   * Returns {@code (int) Math.rint(x)} for lanes with {@code |x| <= 2^22}, and {@code ±2^22} for
   * larger lanes, infinities included. Callers clamp the result to bounds far inside {@code ±2^22},
   * so those lanes clamp to the same bound as the exact integer would. NaN lanes are not allowed.
   */
  static IntVector rintToInt(FloatVector x) {
    // Clamping the magnitude as an int keeps the sign and costs one int min, where a float min
    // must also order NaN and -0.0 as Math.min does.
    IntVector bits = x.reinterpretAsInts();
    IntVector magnitude = bits.and(0x7FFF_FFFF).min(RINT_LIMIT_BITS);
    FloatVector limited = magnitude.or(bits.and(0x8000_0000)).reinterpretAsFloats();
    return limited.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS);
  }

  /**
   * Rounds float32 lanes to bfloat16, ties to even, as {@link dev.qspark.kernels.FloatDtype#roundToBfloat16}
   * does for every non-NaN value: add {@code 0x7FFF} plus the lowest kept bit, then clear the low
   * 16 bits.
   */
  static FloatVector roundToBfloat16(FloatVector x) {
    IntVector bits = x.reinterpretAsInts();
    IntVector lowestKeptBit = bits.lanewise(VectorOperators.LSHR, 16).and(1);
    return bits.add(0x7FFF).add(lowestKeptBit).and(0xFFFF_0000).reinterpretAsFloats();
  }

  /** Stores int lanes, each within -128..255, as bytes at {@code out[offset]}, two's complement. */
  static void storeAsBytes(IntVector values, byte[] out, int offset) {
    values.convertShape(VectorOperators.I2B, VectorShapes.BYTES_PER_FLOAT, 0).reinterpretAsBytes().intoArray(out, offset);
  }
}
