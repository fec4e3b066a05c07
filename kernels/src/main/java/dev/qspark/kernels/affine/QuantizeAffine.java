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
    quantizeRun(values, offset, length, reciprocal, qparams.zeroPoint(), computeDtype, bounds.quantMin(),
        bounds.quantMax(), out, outOffset);
  }

  /**
   * Quantizes {@code values[offset, offset + length)} into {@code out[outOffset, outOffset + length)}
   * as {@link #quantizeValue} does value by value, with the zero point added and the result clamped
   * in int arithmetic.
   *
   * <p>Both give the same integer: {@code rint} of the rounded product is an integer, the clamp of
   * {@code r + zero_point} to {@code [quant_min, quant_max]} equals the clamp of {@code r} to
   * {@code [quant_min - zero_point, quant_max - zero_point]} plus {@code zero_point} (which cannot
   * overflow), rounding the sum to the compute dtype is monotonic, and every integer in the bounds
   * (within -256..255) is exact in every dtype, so the rounded sum clamps to the same bound or
   * equals the exact sum.
   *
   * <p>The values must be finite. A reciprocal that is not finite (which configs with a float16
   * scale would give, and which they reject) takes the reference path, since a NaN product casts
   * to 0 there, before the zero point is added.
   *
   * @param zeroPoint an integer within the bounds, held as a float
   */
  public static void quantizeRun(
      float[] values,
      int offset,
      int length,
      float reciprocal,
      float zeroPoint,
      FloatDtype computeDtype,
      int quantMin,
      int quantMax,
      byte[] out,
      int outOffset) {
    if (!Float.isFinite(reciprocal)) {
      for (int i = 0; i < length; i++) {
        out[outOffset + i] =
            quantizeValue(values[offset + i], reciprocal, zeroPoint, computeDtype, quantMin, quantMax);
      }
      return;
    }
    int zero = (int) zeroPoint;
    int low = quantMin - zero;
    int high = quantMax - zero;
    // One loop per dtype, so that the rounding is not chosen again for every value.
    switch (computeDtype) {
      case FLOAT32 -> {
        for (int i = 0; i < length; i++) {
          int rounded = FloatRounding.rintToInt(values[offset + i] * reciprocal);
          out[outOffset + i] = (byte) (Math.min(Math.max(rounded, low), high) + zero);
        }
      }
      case BFLOAT16 -> {
        for (int i = 0; i < length; i++) {
          int rounded = FloatRounding.rintToInt(FloatDtype.roundToBfloat16(values[offset + i] * reciprocal));
          out[outOffset + i] = (byte) (Math.min(Math.max(rounded, low), high) + zero);
        }
      }
      default -> {
        for (int i = 0; i < length; i++) {
          int rounded = FloatRounding.rintToInt(computeDtype.round(values[offset + i] * reciprocal));
          out[outOffset + i] = (byte) (Math.min(Math.max(rounded, low), high) + zero);
        }
      }
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
