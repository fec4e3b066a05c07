package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.affine.QuantizeAffine;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link QuantizeAffine#quantizeValue} for a run of values, one method per compute dtype: a vector
 * body and a scalar tail through the reference helper.
 *
 * <p>The body computes {@code clamp(rint(round_c(x * reciprocal)) + zero_point, quant_min, quant_max)}
 * with the sum and clamp in int arithmetic, while the reference adds the zero point in the compute
 * dtype c and rounds once more. Both give the same integer: the sum of two integers of at most
 * {@code 2^22 + 255} is exact in int, rounding to float32 or bfloat16 is monotonic, and every
 * integer in {@code [quant_min, quant_max]} (within -256..255) is exact in both dtypes, so the
 * rounded sum is clamped to the same bound or equals the exact sum.
 *
 * <p>The roundings are float adds and integer bit operations:
 * <ul>
 *   <li>rint: the magnitude is first limited to {@code 2^22} as an int (which keeps infinities
 *       and large lanes beyond every clamp bound), then {@code x + 1.5 * 2^23} lies in
 *       {@code [2^23, 2^24]}, where float32 has a spacing of exactly 1, so the add rounds with
 *       ties to even, and the float's bits minus the bits of {@code 1.5 * 2^23} are the integer.
 *       On JDK 17 with AVX-512 a 512-bit float-to-int conversion was measured not to compile to
 *       vector instructions, while the add is one. NaN lanes cannot occur: the reciprocal is finite
 *       and so are the values.
 *   <li>bfloat16: add {@code 0x7FFF} plus the lowest kept bit, then clear the low 16 bits, as
 *       {@link FloatDtype#roundToBfloat16} does for every non-NaN value.
 * </ul>
 *
 * <p>Every vector operation is written out in the loop, with no helper method that takes or
 * returns a vector: when C2 reaches its node budget it stops inlining such helpers, and a vector
 * that crosses a call that is not inlined is allocated on the heap, each iteration.
 */
final class VectorAffineQuantize {

  /** {@code 1.5 * 2^23}. */
  private static final float MAGIC = 0x1.8p23f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  private static final int RINT_LIMIT_BITS = Float.floatToRawIntBits(0x1.0p22f);

  private VectorAffineQuantize() {}

  /** Quantizes {@code values[offset, offset + length)} into {@code out} at the same offsets, in float32. */
  static void quantizeFloat32(
      float[] values, int offset, int length, float reciprocal, float zeroPoint, int quantMin, int quantMax,
      byte[] out) {
    int zero = (int) zeroPoint;
    int bodyEnd = offset + VectorShapes.FLOATS.loopBound(length);
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      IntVector bits = (IntVector) FloatVector.fromArray(VectorShapes.FLOATS, values, i).mul(reciprocal)
          .reinterpretShape(VectorShapes.INTS, 0);
      IntVector limited = bits.and(0x7FFF_FFFF).min(RINT_LIMIT_BITS).or(bits.and(0x8000_0000));
      IntVector rounded = ((IntVector) ((FloatVector) limited.reinterpretShape(VectorShapes.FLOATS, 0))
          .add(MAGIC).reinterpretShape(VectorShapes.INTS, 0)).sub(MAGIC_BITS);
      IntVector quantized = rounded.add(zero).max(quantMin).min(quantMax);
      ((ByteVector) quantized.convertShape(VectorOperators.I2B, VectorShapes.BYTES_PER_FLOAT, 0))
          .intoArray(out, i);
    }
    for (int i = bodyEnd; i < offset + length; i++) {
      out[i] = QuantizeAffine.quantizeValue(
          values[i], reciprocal, zeroPoint, FloatDtype.FLOAT32, quantMin, quantMax);
    }
  }

  /**
   * Quantizes {@code values[offset, offset + length)} into {@code out} at the same offsets, with the
   * product rounded to bfloat16.
   */
  static void quantizeBfloat16(
      float[] values, int offset, int length, float reciprocal, float zeroPoint, int quantMin, int quantMax,
      byte[] out) {
    int zero = (int) zeroPoint;
    int bodyEnd = offset + VectorShapes.FLOATS.loopBound(length);
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      IntVector product = (IntVector) FloatVector.fromArray(VectorShapes.FLOATS, values, i).mul(reciprocal)
          .reinterpretShape(VectorShapes.INTS, 0);
      IntVector lowestKeptBit = product.lanewise(VectorOperators.LSHR, 16).and(1);
      IntVector bits = product.add(lowestKeptBit).add(0x7FFF).and(0xFFFF_0000);
      IntVector limited = bits.and(0x7FFF_FFFF).min(RINT_LIMIT_BITS).or(bits.and(0x8000_0000));
      IntVector rounded = ((IntVector) ((FloatVector) limited.reinterpretShape(VectorShapes.FLOATS, 0))
          .add(MAGIC).reinterpretShape(VectorShapes.INTS, 0)).sub(MAGIC_BITS);
      IntVector quantized = rounded.add(zero).max(quantMin).min(quantMax);
      ((ByteVector) quantized.convertShape(VectorOperators.I2B, VectorShapes.BYTES_PER_FLOAT, 0))
          .intoArray(out, i);
    }
    for (int i = bodyEnd; i < offset + length; i++) {
      out[i] = QuantizeAffine.quantizeValue(
          values[i], reciprocal, zeroPoint, FloatDtype.BFLOAT16, quantMin, quantMax);
    }
  }
}
