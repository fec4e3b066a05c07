package dev.qspark.checkpoint;

import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.simd.Kernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Exact little-endian decoding of F32, BF16 and F16 values to {@code float}. */
public final class FloatDecoding {

  private FloatDecoding() {}

  /** Decodes bfloat16 bits: the upper half of a float32, so the conversion is exact. */
  public static float bf16ToFloat(int bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /**
   * Decodes IEEE 754 binary16 bits. Every binary16 value is exactly representable as a float32;
   * infinities keep their sign and NaNs keep their payload in the upper mantissa bits.
   */
  public static float f16ToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: mantissa * 2^-24, a product of an integer below 2^10 and a power of two.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    // Rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /**
   * Decodes {@code count} values of {@code dtype} from {@code source} at byte {@code
   * sourceOffset} into {@code destination} at {@code destinationOffset}.
   *
   * @throws UnsupportedOperationException for a dtype other than F32, BF16 and F16
   */
  public static void decode(
      Dtype dtype,
      byte[] source,
      int sourceOffset,
      int count,
      float[] destination,
      int destinationOffset) {
    switch (dtype) {
      case F32:
        // A bulk get of a little-endian view copies without a per-value call on little-endian hosts.
        ByteBuffer.wrap(source, sourceOffset, 4 * count)
            .slice()
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(destination, destinationOffset, count);
        break;
      case BF16:
        Kernels.bfloat16Widening(KernelPath.selected())
            .widen(source, sourceOffset, count, destination, destinationOffset);
        break;
      case F16:
        ByteBuffer buffer = ByteBuffer.wrap(source).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
          destination[destinationOffset + i] = f16ToFloat(buffer.getShort(sourceOffset + 2 * i));
        }
        break;
      default:
        throw new UnsupportedOperationException(
            "Cannot decode " + dtype + " values to float; only F32, BF16 and F16 are supported");
    }
  }
}
