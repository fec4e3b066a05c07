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
    int zero = (int) zeroPoint;
    int end = offset + length;
    int bodyEnd = offset + VectorShapes.FLOATS.loopBound(length);
    // One loop per dtype: a vector assigned on only one branch inside the loop makes C2 (JDK 17) box
    // it to merge the branches, which allocates on every iteration.
    if (computeDtype == FloatDtype.BFLOAT16) {
      quantizeBfloat16Body(values, offset, bodyEnd, reciprocal, zero, quantMin, quantMax, out);
    } else {
      quantizeFloat32Body(values, offset, bodyEnd, reciprocal, zero, quantMin, quantMax, out);
    }
    for (int i = bodyEnd; i < end; i++) {
      out[i] = QuantizeAffine.quantizeValue(values[i], reciprocal, zeroPoint, computeDtype, quantMin, quantMax);
    }
  }

  private static void quantizeFloat32Body(
      float[] values, int offset, int bodyEnd, float reciprocal, int zero, int quantMin, int quantMax, byte[] out) {
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      FloatVector scaled = FloatVector.fromArray(VectorShapes.FLOATS, values, i).mul(reciprocal);
      IntVector quantized = VectorRounding.rintToInt(scaled).add(zero).max(quantMin).min(quantMax);
      VectorRounding.storeAsBytes(quantized, out, i);
    }
  }

  private static void quantizeBfloat16Body(
      float[] values, int offset, int bodyEnd, float reciprocal, int zero, int quantMin, int quantMax, byte[] out) {
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      FloatVector product = FloatVector.fromArray(VectorShapes.FLOATS, values, i).mul(reciprocal);
      FloatVector scaled = VectorRounding.roundToBfloat16(product);
      IntVector quantized = VectorRounding.rintToInt(scaled).add(zero).max(quantMin).min(quantMax);
      VectorRounding.storeAsBytes(quantized, out, i);
    }
  }
}
