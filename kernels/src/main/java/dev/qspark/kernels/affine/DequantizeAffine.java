package dev.qspark.kernels.affine;

import dev.qspark.kernels.FloatDtype;

/**
 * torchao's {@code dequantize_affine} in the integer zero-point domain, one group at a time:
 * {@code ((q.to(out) - zero_point.to(out)) * scale).to(out)}.
 *
 * <p>The subtraction runs in the output dtype; the product in {@code result_type(out, scale)},
 * then the result is cast to the output dtype, which rounds once more when the scale is float32
 * and the output is a 16-bit dtype.
 */
public final class DequantizeAffine {

  private DequantizeAffine() {}

  /** Dequantizes {@code quantized[offset, offset + length)} into {@code out[outOffset, outOffset + length)}. */
  public static void dequantizeGroup(
      byte[] quantized,
      int offset,
      int length,
      QuantBounds bounds,
      QParams qparams,
      FloatDtype scaleDtype,
      FloatDtype outputDtype,
      float[] out,
      int outOffset) {
    FloatDtype productDtype = TypePromotion.resultType(outputDtype, scaleDtype);
    float zeroPoint = outputDtype.round(qparams.zeroPoint());
    float scale = qparams.scale();
    for (int i = 0; i < length; i++) {
      out[outOffset + i] =
          dequantizeValue(bounds.valueOf(quantized[offset + i]), zeroPoint, scale, productDtype, outputDtype);
    }
  }

  /**
   * Dequantizes one value.
   *
   * @param zeroPoint the zero point already rounded to {@code outputDtype}
   * @param productDtype {@code result_type(outputDtype, scale dtype)}
   */
  public static float dequantizeValue(
      int quantized, float zeroPoint, float scale, FloatDtype productDtype, FloatDtype outputDtype) {
    float value = outputDtype.round(quantized);
    float centered = outputDtype.round(value - zeroPoint);
    return outputDtype.round(productDtype.round(centered * scale));
  }
}
