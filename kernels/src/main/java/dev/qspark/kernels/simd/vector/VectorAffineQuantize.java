package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.affine.QuantizeAffine;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * {@link QuantizeAffine#quantizeValue} for a run of values: a vector body and a scalar tail through
 * the reference helper.
 *
 * <p>The body computes {@code clamp(rint(round_c(x * reciprocal)) + zero_point, quant_min, quant_max)}
 * with the sum and clamp in int arithmetic, while the reference adds the zero point in the compute
 * dtype c and rounds once more. Both give the same integer: the sum of two integers of at most
 * {@code 2^22 + 255} is exact in int, rounding to float32 or bfloat16 is monotonic, and every
 * integer in {@code [quant_min, quant_max]} (within -256..255) is exact in both dtypes, so the
 * rounded sum is clamped to the same bound or equals the exact sum.
 */
final class VectorAffineQuantize {

  private VectorAffineQuantize() {}

  /**
   * Quantizes {@code values[offset, offset + length)} into {@code out} at the same offsets.
   *
   * @param computeDtype float32 or bfloat16
   */
  static void quantize(
      float[] values,
      int offset,
      int length,
      float reciprocal,
      float zeroPoint,
      FloatDtype computeDtype,
      int quantMin,
      int quantMax,
      byte[] out) {
    boolean bfloat16 = computeDtype == FloatDtype.BFLOAT16;
    int zero = (int) zeroPoint;
    int end = offset + length;
    int bodyEnd = offset + VectorShapes.FLOATS.loopBound(length);
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      FloatVector scaled = FloatVector.fromArray(VectorShapes.FLOATS, values, i).mul(reciprocal);
      if (bfloat16) {
        scaled = VectorRounding.roundToBfloat16(scaled);
      }
      IntVector quantized = VectorRounding.rintToInt(scaled).add(zero).max(quantMin).min(quantMax);
      VectorRounding.storeAsBytes(quantized, out, i);
    }
    for (int i = bodyEnd; i < end; i++) {
      out[i] = QuantizeAffine.quantizeValue(values[i], reciprocal, zeroPoint, computeDtype, quantMin, quantMax);
    }
  }
}
