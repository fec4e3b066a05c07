package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.affine.DequantizeAffine;
import dev.qspark.kernels.affine.QuantBounds;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link DequantizeAffine#dequantizeValue} for a run of values with one zero point and scale, one
 * method per output dtype: a vector body and a scalar tail through the reference helper.
 *
 * <p>The body leaves out two roundings of the reference because they do not change the value:
 * <ul>
 *   <li>the cast of the quantized integer to the output dtype, since every quantized integer (-128 to
 *       255) is exact in float32 and bfloat16;
 *   <li>for a bfloat16 output, the rounding of the product to a bfloat16 product dtype before the
 *       cast to bfloat16, since rounding a bfloat16 value to bfloat16 returns its bits unchanged,
 *       NaN included. For a float32 output the product dtype is float32 too.
 * </ul>
 *
 * <p>Each byte widens to an int lane, masked with {@code 0xFF} for unsigned bounds, and adding the
 * bits of {@code 1.5 * 2^23} then subtracting {@code 1.5 * 2^23} as a float converts it to float
 * exactly. The bfloat16 rounding is the integer arithmetic of {@link FloatDtype#roundToBfloat16}, with
 * NaN lanes blended to its quiet NaN. As in {@link VectorAffineQuantize}, every vector operation is
 * written out in the loop.
 *
 * <p>NOTE: where both operands of the product are NaN (a NaN zero point with a NaN scale), the
 * processor returns one operand's payload and the JIT compiler picks the operand order, so the
 * scalar path does not define the NaN's bits either.
 */
final class VectorAffineDequantize {

  /** {@code 1.5 * 2^23}: adding a small int to its bits adds the int to its value. */
  private static final float MAGIC = 0x1.8p23f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);

  /** The largest integer magnitude up to which every integer is exact in bfloat16: 2^8. */
  private static final float EXACT_BFLOAT16_INTEGER = 256f;

  private VectorAffineDequantize() {}

  /**
   * Dequantizes {@code quantized[offset, offset + length)} into {@code out} at the same offsets, for a
   * float32 output.
   *
   * @param zeroPoint the zero point, already rounded to the output dtype
   */
  static void dequantizeFloat32(
      byte[] quantized, int offset, int length, QuantBounds bounds, float zeroPoint, float scale, float[] out) {
    int valueMask = bounds.isUnsigned() ? 0xFF : -1;
    int bodyEnd = offset + VectorShapes.FLOATS.loopBound(length);
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      IntVector ints = (IntVector) ByteVector.fromArray(VectorShapes.BYTES_PER_FLOAT, quantized, i)
          .convertShape(VectorOperators.B2I, VectorShapes.INTS, 0);
      FloatVector value = ((FloatVector) ints.and(valueMask).add(MAGIC_BITS)
          .reinterpretShape(VectorShapes.FLOATS, 0)).sub(MAGIC);
      value.sub(zeroPoint).mul(scale).intoArray(out, i);
    }
    for (int i = bodyEnd; i < offset + length; i++) {
      out[i] = DequantizeAffine.dequantizeValue(
          bounds.valueOf(quantized[i]), zeroPoint, scale, FloatDtype.FLOAT32, FloatDtype.FLOAT32);
    }
  }

  /**
   * Dequantizes {@code quantized[offset, offset + length)} into {@code out} at the same offsets, for a
   * bfloat16 output.
   *
   * @param zeroPoint the zero point, already rounded to bfloat16
   * @param productDtype {@code result_type(bfloat16, scale dtype)}: bfloat16 or float32
   */
  static void dequantizeBfloat16(
      byte[] quantized,
      int offset,
      int length,
      QuantBounds bounds,
      float zeroPoint,
      float scale,
      FloatDtype productDtype,
      float[] out) {
    int valueMask = bounds.isUnsigned() ? 0xFF : -1;
    int bodyEnd = offset + VectorShapes.FLOATS.loopBound(length);
    if (hasExactCenteredValues(bounds, zeroPoint) && Float.isFinite(scale)) {
      dequantizeBfloat16Exact(quantized, offset, bodyEnd, valueMask, zeroPoint, scale, out);
    } else {
      dequantizeBfloat16Body(quantized, offset, bodyEnd, valueMask, zeroPoint, scale, out);
    }
    for (int i = bodyEnd; i < offset + length; i++) {
      out[i] = DequantizeAffine.dequantizeValue(
          bounds.valueOf(quantized[i]), zeroPoint, scale, productDtype, FloatDtype.BFLOAT16);
    }
  }

  /**
   * Returns whether {@code q - zeroPoint} is an integer of magnitude at most 256 for every byte the
   * codes can hold (-128..127, or 0..255 for unsigned bounds; a block read from storage may hold
   * codes outside the bounds). Then the float32 subtraction is exact and so is the bfloat16 value
   * (8 significant bits), and its bfloat16 rounding changes nothing. The integer formats' zero points
   * are integers within the bounds, so they all qualify.
   */
  private static boolean hasExactCenteredValues(QuantBounds bounds, float zeroPoint) {
    float lowest = bounds.isUnsigned() ? 0 : Byte.MIN_VALUE;
    float highest = bounds.isUnsigned() ? 255 : Byte.MAX_VALUE;
    return zeroPoint == Math.rint(zeroPoint)
        && Math.abs(lowest - zeroPoint) <= EXACT_BFLOAT16_INTEGER
        && Math.abs(highest - zeroPoint) <= EXACT_BFLOAT16_INTEGER;
  }

  /**
   * The body of {@link #dequantizeBfloat16} for a group whose centered values are exact
   * ({@link #hasExactCenteredValues}) and whose scale is finite. A product of a finite scale and an
   * integer is never NaN, so only the rounding of the product remains, without the NaN blend.
   */
  private static void dequantizeBfloat16Exact(
      byte[] quantized, int offset, int bodyEnd, int valueMask, float zeroPoint, float scale, float[] out) {
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      IntVector ints = (IntVector) ByteVector.fromArray(VectorShapes.BYTES_PER_FLOAT, quantized, i)
          .convertShape(VectorOperators.B2I, VectorShapes.INTS, 0);
      FloatVector centered = ((FloatVector) ints.and(valueMask).add(MAGIC_BITS)
          .reinterpretShape(VectorShapes.FLOATS, 0)).sub(MAGIC).sub(zeroPoint);
      IntVector product = (IntVector) centered.mul(scale).reinterpretShape(VectorShapes.INTS, 0);
      ((FloatVector) product.add(product.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF).and(0xFFFF_0000)
          .reinterpretShape(VectorShapes.FLOATS, 0)).intoArray(out, i);
    }
  }

  private static void dequantizeBfloat16Body(
      byte[] quantized, int offset, int bodyEnd, int valueMask, float zeroPoint, float scale, float[] out) {
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      IntVector ints = (IntVector) ByteVector.fromArray(VectorShapes.BYTES_PER_FLOAT, quantized, i)
          .convertShape(VectorOperators.B2I, VectorShapes.INTS, 0);
      FloatVector value = ((FloatVector) ints.and(valueMask).add(MAGIC_BITS)
          .reinterpretShape(VectorShapes.FLOATS, 0)).sub(MAGIC);

      // The value is finite, so the difference is NaN only for a NaN zero point. Its NaN is then the
      // zero point's, already a bfloat16 NaN, or the processor's default NaN, whose low 16 bits are
      // zero too, and the rounding below leaves it as it is without a NaN blend.
      IntVector difference = (IntVector) value.sub(zeroPoint).reinterpretShape(VectorShapes.INTS, 0);
      IntVector centered = difference.add(difference.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF)
          .and(0xFFFF_0000);

      IntVector product = (IntVector) ((FloatVector) centered.reinterpretShape(VectorShapes.FLOATS, 0))
          .mul(scale).reinterpretShape(VectorShapes.INTS, 0);
      IntVector rounded = product.add(product.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF)
          .and(0xFFFF_0000);
      VectorMask<Integer> productIsNaN = product.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000);
      ((FloatVector) rounded.blend(product.or(0x0040_0000).and(0xFFFF_0000), productIsNaN)
          .reinterpretShape(VectorShapes.FLOATS, 0)).intoArray(out, i);
    }
  }
}
