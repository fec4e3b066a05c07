package dev.qspark.kernels.affine;

import dev.qspark.kernels.FloatDtype;

/**
 * torchao's {@code _quantize_affine_no_dtype_cast} in the integer zero-point domain, one group at a time:
 * {@code clamp(round(x * (1.0 / scale)) + zero_point, quant_min, quant_max)}.
 *
 * <p>{@code 1.0 / scale} is {@code scale.reciprocal()}, so the reciprocal is rounded to the scale's
 * dtype. The product is computed in {@code result_type(x, scale)} and rounded to it: a bfloat16
 * input with a float32 scale gives an unrounded float32 product. {@code round} is half to even;
 * adding the integer zero point keeps the float dtype and rounds again.
 */
public final class QuantizeAffine {

  private QuantizeAffine() {}

  /**
   * Quantizes {@code values[offset, offset + length)} into {@code out[outOffset, outOffset + length)}.
   * A value of an unsigned type above 127 is stored in two's complement; read it with
   * {@link QuantBounds#valueOf(byte)}.
   */
  public static void quantizeGroup(
      float[] values,
      int offset,
      int length,
      FloatDtype inputDtype,
      QParams qparams,
      FloatDtype scaleDtype,
      QuantBounds bounds,
      byte[] out,
      int outOffset) {
    FloatDtype computeDtype = TypePromotion.resultType(inputDtype, scaleDtype);
    float reciprocal = reciprocal(qparams.scale(), scaleDtype);
    float zeroPoint = qparams.zeroPoint();
    float quantMin = bounds.quantMin();
    float quantMax = bounds.quantMax();
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = quantizeValue(values[offset + i], reciprocal, zeroPoint, computeDtype, quantMin, quantMax);
    }
  }

  /** Returns torchao's {@code 1.0 / scale}: the reciprocal rounded to the scale's dtype. */
  public static float reciprocal(float scale, FloatDtype scaleDtype) {
    return scaleDtype.round(1.0f / scale);
  }

  /**
   * Quantizes one value; the reference for every implementation of this formula.
   *
   * @param reciprocal {@link #reciprocal} of the group's scale
   * @param computeDtype {@code result_type(input, scale)}, in which the product and the sum round
   */
  public static byte quantizeValue(
      float value, float reciprocal, float zeroPoint, FloatDtype computeDtype, float quantMin, float quantMax) {
    float scaled = computeDtype.round(value * reciprocal);
    float shifted = computeDtype.round((float) Math.rint(scaled) + zeroPoint);
    float clamped = Math.min(Math.max(shifted, quantMin), quantMax);
    return (byte) (int) clamped;
  }
}
