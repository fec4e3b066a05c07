package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.affine.FloatRounding;

/**
 * The group quantizer behind torchao's Int4Tensor: fbgemm's {@code int4_row_quantize_zp}.
 *
 * <p>Everything is computed in float32, whatever the weight's dtype:
 * <pre>
 *   scale = clamp(max - min, min=1e-6) / 15
 *   zero  = min + scale * 8
 *   q     = clamp(round((x - min) / scale), 0, 15) - 8        (signed, -8..7)
 * </pre>
 * The {@code / 15} is a tensor divided by a Python number, so it follows {@link DeviceArithmetic};
 * {@code (x - min) / scale} divides two tensors and is a true division on every device. The values
 * are quantized with the float32 min and scale, while torchao stores scale and zero rounded to the
 * weight's dtype.
 */
public final class Int4RowQuantizer {

  /** The smallest range, so that a constant group gets a positive scale. */
  public static final float MIN_RANGE = 1e-6f;

  private static final float QUANT_RANGE = 15f;
  private static final float ZERO_OFFSET = 8f;
  private static final int QUANT_MAX = 15;
  private static final float MAGIC = 0x1.8p23f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);

  private Int4RowQuantizer() {}

  /** Returns the float32 scale of a group with the given minimum and maximum. */
  public static float scale(float min, float max, DeviceArithmetic device) {
    float range = Math.max(max - min, MIN_RANGE);
    return device.divideByScalar(range, QUANT_RANGE);
  }

  /** Returns the float32 zero of a group: the value that the stored integer 0 represents. */
  public static float zero(float min, float scale) {
    return min + scale * ZERO_OFFSET;
  }

  /**
   * Quantizes one value with its group's float32 minimum and scale; returns -8..7. A NaN quotient,
   * from a range that overflows float32, gives -8.
   */
  public static int quantize(float value, float min, float scale) {
    int rounded = FloatRounding.rintToInt((value - min) / scale);
    int unsigned = Math.min(Math.max(rounded, 0), QUANT_MAX);
    return unsigned - (int) ZERO_OFFSET;
  }

  /**
   * Returns {@link #quantize} for a group whose {@link #scale} is finite, without the clamp and
   * with a float add in place of {@code Math.rint}.
   *
   * <p>The clamp changes nothing in such a group: {@code x - min} lies in {@code [0, fl(max - min)]}
   * because float subtraction is monotonic, and the scale is at least {@code fl(max - min) / 15}
   * up to one rounding of the scale and one of {@code 1/15}, so every quotient lies in
   * {@code [0, 15 * (1 + 2^-22)]} and rounds to 0..15. Adding {@code 1.5 * 2^23} to such a
   * quotient rounds it to an integer, ties to even, as {@link FloatRounding} explains.
   */
  public static int quantizeFiniteScale(float value, float min, float scale) {
    return Float.floatToRawIntBits((value - min) / scale + MAGIC) - (MAGIC_BITS + (int) ZERO_OFFSET);
  }

  /** Returns {@code q * scale + zero} in float32, the formula the Int4Tensor matmul kernel applies. */
  public static float dequantize(int q, float scale, float zero) {
    return q * scale + zero;
  }
}
