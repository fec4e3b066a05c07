package dev.qspark.kernels;

/**
 * Floating point dtypes a weight can have, with torch's rounding from float32.
 *
 * <p>Values of every dtype travel through the kernels as Java {@code float}: a bfloat16 or float16
 * number is held as the float32 number with the same value, which is always exact. Each bfloat16 or
 * float16 operation is computed in float32 and rounded once with {@link #round(float)}, as torch's
 * CPU and CUDA kernels do for these dtypes.
 */
public enum FloatDtype {
  FLOAT32("float32", 32, 0x1.0p-23f, Float.MIN_NORMAL),
  BFLOAT16("bfloat16", 16, 0x1.0p-7f, Float.MIN_NORMAL),
  FLOAT16("float16", 16, 0x1.0p-10f, 0x1.0p-14f);

  private final String torchName;
  private final int bitWidth;
  private final float eps;
  private final float smallestNormal;

  FloatDtype(String torchName, int bitWidth, float eps, float smallestNormal) {
    this.torchName = torchName;
    this.bitWidth = bitWidth;
    this.eps = eps;
    this.smallestNormal = smallestNormal;
  }

  /** The bare torch name, e.g. {@code bfloat16}. */
  public String torchName() {
    return torchName;
  }

  public int bitWidth() {
    return bitWidth;
  }

  /** {@code torch.finfo(dtype).eps}: the gap between 1.0 and the next larger value. */
  public float eps() {
    return eps;
  }

  /** {@code torch.finfo(dtype).smallest_normal}. */
  public float smallestNormal() {
    return smallestNormal;
  }

  /** Rounds a float32 value to the nearest value of this dtype, ties to even, as a float. */
  public float round(float value) {
    switch (this) {
      case BFLOAT16:
        return roundToBfloat16(value);
      case FLOAT16:
        return float16BitsToFloat(floatToFloat16Bits(value));
      default:
        return value;
    }
  }

  /** Returns the dtype with the given torch name ({@code float32}, {@code bfloat16}, {@code float16}). */
  public static FloatDtype fromTorchName(String name) {
    for (FloatDtype dtype : values()) {
      if (dtype.torchName.equals(name)) {
        return dtype;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported floating point dtype '" + name + "': expected float32, bfloat16 or float16");
  }

  /** Rounds to bfloat16 (the upper 16 bits of a float32), ties to even; NaN stays a quiet NaN. */
  public static float roundToBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return Float.intBitsToFloat((bits | 0x0040_0000) & 0xFFFF_0000);
    }
    int lowestKeptBit = (bits >>> 16) & 1;
    bits += 0x7FFF + lowestKeptBit;
    return Float.intBitsToFloat(bits & 0xFFFF_0000);
  }

  /** Returns the IEEE binary16 bits nearest to a float32 value, ties to even. */
  public static short floatToFloat16Bits(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int magnitude = bits & 0x7FFF_FFFF;
    if (magnitude >= 0x7F80_0000) {
      // Infinity keeps a zero mantissa; NaN keeps its top payload bits and stays quiet.
      int nanPayload = magnitude > 0x7F80_0000 ? 0x200 | ((magnitude >>> 13) & 0x3FF) : 0;
      return (short) (sign | 0x7C00 | nanPayload);
    }
    if (magnitude >= 0x477F_F000) {
      // 65520 and above round to infinity: 65520 is the tie between 65504 and 2^16.
      return (short) (sign | 0x7C00);
    }
    if (magnitude >= 0x3880_0000) {
      // Normal binary16: rebias the exponent (127 - 15 = 112) and round away 13 mantissa bits.
      int rounded = magnitude + 0xFFF + ((magnitude >>> 13) & 1);
      return (short) (sign | ((rounded - 0x3800_0000) >>> 13));
    }
    // Subnormal binary16, in units of 2^-24; the scaling by a power of two is exact.
    float units = Float.intBitsToFloat(magnitude) * 0x1.0p24f;
    return (short) (sign | (int) Math.rint(units));
  }

  /** Returns the float32 value of IEEE binary16 bits; every binary16 value is exact in float32. */
  public static float float16BitsToFloat(short halfBits) {
    int half = halfBits & 0xFFFF;
    int sign = (half & 0x8000) << 16;
    int exponent = (half >>> 10) & 0x1F;
    int mantissa = half & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1.0p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** Returns the float32 value of bfloat16 bits. */
  public static float bfloat16BitsToFloat(short bfloat16Bits) {
    return Float.intBitsToFloat((bfloat16Bits & 0xFFFF) << 16);
  }
}
