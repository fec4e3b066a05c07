package dev.qspark.kernels.tinygemm;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;

/**
 * torchao's affine primitives with a floating point zero point (tinygemm's
 * {@code ZeroPointDomain.FLOAT}), for unsigned 4-bit values 0..15.
 *
 * <p>Every operation is computed in float32 and rounded to {@code dtype}, the dtype of the weight,
 * the scale and the zero point (torchao's tinygemm formats use one dtype for all three):
 * <pre>
 *   choose:     scale = max((max - min) / 15, eps)          zero_point = min + scale * 8
 *   quantize:   min_val = zero_point - scale * 8            q = clamp(round((x - min_val) / scale), 0, 15)
 *   dequantize: x' = (q - 8) * scale + zero_point
 * </pre>
 * Unlike the integer zero-point domain, the range is not widened to include 0, and quantizing
 * divides by the scale instead of multiplying by its reciprocal.
 */
public final class TinygemmAffine {

  public static final int QUANT_MIN = 0;
  public static final int QUANT_MAX = 15;
  /** {@code (quant_max + quant_min + 1) / 2}. */
  public static final float MID_POINT = 8f;

  private TinygemmAffine() {}

  /**
   * Returns the scale of a group, as {@code _choose_qparams_affine_tinygemm}: the range divided by
   * 15 (a tensor divided by a Python number, so per {@code device}), then clamped at {@code eps}
   * rounded to {@code dtype}.
   */
  public static float chooseScale(float min, float max, FloatDtype dtype, float eps, DeviceArithmetic device) {
    float range = dtype.round(max - min);
    float scale = dtype.round(device.divideByScalar(range, QUANT_MAX - QUANT_MIN));
    return Math.max(scale, dtype.round(eps));
  }

  /** Returns the zero point of a group: the value that the stored integer 8 represents. */
  public static float chooseZeroPoint(float min, float scale, FloatDtype dtype) {
    return dtype.round(min + dtype.round(scale * MID_POINT));
  }

  /** Returns {@code zero_point - scale * 8}, the value that the stored integer 0 represents. */
  public static float minValue(float scale, float zeroPoint, FloatDtype dtype) {
    return dtype.round(zeroPoint - dtype.round(scale * MID_POINT));
  }

  /**
   * Quantizes one value as {@code _quantize_affine_tinygemm}, with a true division by the scale.
   *
   * @param minValue the group's {@link #minValue}
   * @return 0..15
   */
  public static int quantize(float value, float minValue, float scale, FloatDtype dtype) {
    float shifted = dtype.round(value - minValue);
    float divided = dtype.round(shifted / scale);
    double rounded = Math.rint(divided);
    return (int) Math.min(Math.max(rounded, QUANT_MIN), QUANT_MAX);
  }

  /** Dequantizes one value as {@code _dequantize_affine_tinygemm}, each step rounded to {@code dtype}. */
  public static float dequantize(int q, float scale, float zeroPoint, FloatDtype dtype) {
    float centered = dtype.round(q - MID_POINT);
    float scaled = dtype.round(centered * scale);
    return dtype.round(scaled + zeroPoint);
  }
}
