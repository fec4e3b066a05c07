package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.format.Int4NibbleOrder;
import dev.qspark.kernels.format.ScalarInt4PlainBlockKernel;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarInt4PlainBlockKernel#dequantize} for float32 and bfloat16 outputs, group by group: a
 * scalar head when the group starts at an odd column, a vector body, and a scalar tail through
 * {@link ScalarInt4PlainBlockKernel#dequantizeValue}.
 *
 * <p>Unpacking reverses the packing of {@link VectorInt4PlainBlockKernel}: each byte of
 * {@code qdata} widens to one long lane {@code b}, and {@code (b & 0xF) | (b & 0xF0) << 28} holds the
 * {@link Int4NibbleOrder#EVEN_LOW} even nibble in bits 0..3 and the odd nibble in bits 32..35, so
 * that read as ints the lanes are the nibbles in column order. {@code (n ^ 8) - 8} sign-extends a
 * nibble, and adding the bits of {@code 1.5 * 2^23} and subtracting {@code 1.5 * 2^23} as a float
 * converts it to float exactly.
 *
 * <p>Each value is {@code q * scale + zero} with a float32 multiply and a float32 add, as the scalar
 * reference computes it. The bfloat16 rounding is the integer arithmetic of
 * {@link FloatDtype#roundToBfloat16}, with NaN lanes blended to its quiet NaN, so every input gives
 * the reference's bits, infinities and NaN included.
 *
 * <p>NOTE: where both operands of the add are NaN (a NaN zero with a NaN scale, or with an infinite
 * scale and q = 0), the processor returns one operand's payload and the JIT compiler picks the
 * operand order, so the scalar path does not define the NaN's bits either.
 */
final class VectorInt4PlainDequantize {

  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> BYTES_PER_LONG =
      ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(LONGS.vectorBitSize() / 8));

  /** {@code 1.5 * 2^23}: adding a small int to its bits adds the int to its value. */
  private static final float MAGIC = 0x1.8p23f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  private static final int NIBBLE_SIGN = 8;

  private VectorInt4PlainDequantize() {}

  /**
   * Dequantizes a block whose sizes the caller has checked to float32 or bfloat16, into {@code out}
   * (see {@link DequantizeOutput#of}).
   */
  static float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype, float[] out) {
    out = DequantizeOutput.of(out, block.rowCount() * block.inFeatures());
    // One group loop per dtype, so that each compiled loop stays within C2's inlining budget.
    if (dtype == FloatDtype.BFLOAT16) {
      dequantizeGroupsBfloat16(block, groupSize, out);
    } else {
      dequantizeGroupsFloat32(block, groupSize, out);
    }
    return out;
  }

  private static void dequantizeGroupsFloat32(QuantizedBlock block, int groupSize, float[] out) {
    byte[] qdata = block.qdata();
    float[] scales = block.scale();
    float[] zeros = block.zeroPoint();
    for (int param = 0; param < scales.length; param++) {
      float scale = scales[param];
      float zero = zeros[param];
      int start = param * groupSize;
      int end = start + groupSize;
      int bodyStart = Math.min(start + (start & 1), end);
      int bodyEnd = bodyStart + VectorShapes.FLOATS.loopBound(end - bodyStart);
      for (int i = start; i < bodyStart; i++) {
        out[i] = ScalarInt4PlainBlockKernel.dequantizeValue(qdata, i, scale, zero, FloatDtype.FLOAT32);
      }
      for (int i = bodyStart; i < bodyEnd; i += VectorShapes.LANES) {
        LongVector bytes = (LongVector) ByteVector.fromArray(BYTES_PER_LONG, qdata, i >> 1)
            .convertShape(VectorOperators.B2L, LONGS, 0);
        IntVector nibbles = (IntVector) bytes.and(0xFL).or(bytes.and(0xF0L).lanewise(VectorOperators.LSHL, 28))
            .reinterpretShape(VectorShapes.INTS, 0);
        FloatVector q = ((FloatVector) nibbles.lanewise(VectorOperators.XOR, NIBBLE_SIGN)
            .add(MAGIC_BITS - NIBBLE_SIGN).reinterpretShape(VectorShapes.FLOATS, 0)).sub(MAGIC);
        q.mul(scale).add(zero).intoArray(out, i);
      }
      for (int i = bodyEnd; i < end; i++) {
        out[i] = ScalarInt4PlainBlockKernel.dequantizeValue(qdata, i, scale, zero, FloatDtype.FLOAT32);
      }
    }
  }

  private static void dequantizeGroupsBfloat16(QuantizedBlock block, int groupSize, float[] out) {
    byte[] qdata = block.qdata();
    float[] scales = block.scale();
    float[] zeros = block.zeroPoint();
    for (int param = 0; param < scales.length; param++) {
      float scale = scales[param];
      float zero = zeros[param];
      int start = param * groupSize;
      int end = start + groupSize;
      int bodyStart = Math.min(start + (start & 1), end);
      int bodyEnd = bodyStart + VectorShapes.FLOATS.loopBound(end - bodyStart);
      for (int i = start; i < bodyStart; i++) {
        out[i] = ScalarInt4PlainBlockKernel.dequantizeValue(qdata, i, scale, zero, FloatDtype.BFLOAT16);
      }
      for (int i = bodyStart; i < bodyEnd; i += VectorShapes.LANES) {
        LongVector bytes = (LongVector) ByteVector.fromArray(BYTES_PER_LONG, qdata, i >> 1)
            .convertShape(VectorOperators.B2L, LONGS, 0);
        IntVector nibbles = (IntVector) bytes.and(0xFL).or(bytes.and(0xF0L).lanewise(VectorOperators.LSHL, 28))
            .reinterpretShape(VectorShapes.INTS, 0);
        FloatVector q = ((FloatVector) nibbles.lanewise(VectorOperators.XOR, NIBBLE_SIGN)
            .add(MAGIC_BITS - NIBBLE_SIGN).reinterpretShape(VectorShapes.FLOATS, 0)).sub(MAGIC);
        IntVector bits = (IntVector) q.mul(scale).add(zero).reinterpretShape(VectorShapes.INTS, 0);
        IntVector rounded = bits.add(bits.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF)
            .and(0xFFFF_0000);
        IntVector quietNaN = bits.or(0x0040_0000).and(0xFFFF_0000);
        VectorMask<Integer> isNaN = bits.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000);
        ((FloatVector) rounded.blend(quietNaN, isNaN).reinterpretShape(VectorShapes.FLOATS, 0))
            .intoArray(out, i);
      }
      for (int i = bodyEnd; i < end; i++) {
        out[i] = ScalarInt4PlainBlockKernel.dequantizeValue(qdata, i, scale, zero, FloatDtype.BFLOAT16);
      }
    }
  }
}
