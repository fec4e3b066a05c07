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
      float value = outputDtype.round(bounds.valueOf(quantized[offset + i]));
      float centered = outputDtype.round(value - zeroPoint);
      out[outOffset + i] = outputDtype.round(productDtype.round(centered * scale));
    }
  }
}
