package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;

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

  /** Quantizes one value with its group's float32 minimum and scale; returns -8..7. */
  public static int quantize(float value, float min, float scale) {
    double rounded = Math.rint((value - min) / scale);
    int unsigned = (int) Math.min(Math.max(rounded, 0), QUANT_MAX);
    return unsigned - (int) ZERO_OFFSET;
  }

  /** Returns {@code q * scale + zero} in float32, the formula the Int4Tensor matmul kernel applies. */
  public static float dequantize(int q, float scale, float zero) {
    return q * scale + zero;
  }
}
