package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.format.Int4NibbleOrder;
import dev.qspark.kernels.tinygemm.ScalarTinygemmBlockKernel;
import dev.qspark.kernels.tinygemm.TinygemmAffine;
import dev.qspark.kernels.tinygemm.TinygemmBlocks;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScalarTinygemmBlockKernel#dequantize} for float32 and bfloat16 outputs, group by group
 * within each padded row: a scalar head when the group starts at an odd column, a vector body, and
 * a scalar tail through {@link ScalarTinygemmBlockKernel#dequantizeValue}.
 *
 * <p>Unpacking reverses the {@link Int4NibbleOrder#EVEN_HIGH} packing: each byte of {@code qdata}
 * widens to one long lane {@code b}, and {@code (b >>> 4 & 0xF) | (b & 0xF) << 32} contains the even
 * nibble in bits 0..3 and the odd nibble in bits 32..35, so that read as ints the lanes are the
 * nibbles in column order. Adding the bits of {@code 1.5 * 2^23} minus 8 and subtracting
 * {@code 1.5 * 2^23} as a float gives {@code q - 8} exactly, which is also the reference's first
 * rounding, since -8..7 are exact in every dtype.
 *
 * <p>Each value is {@code (q - 8) * scale + zero_point} with a float32 multiply and a float32 add,
 * not a fused multiply-add, as the reference computes it. For bfloat16 both results are rounded
 * with the integer arithmetic of {@link FloatDtype#roundToBfloat16}, NaN lanes blended to its quiet
 * NaN, so every input gives the reference's bits, infinities and NaN included.
 *
 * <p>NOTE: where both operands of the add are NaN (a NaN zero point with a NaN scale, or with an
 * infinite scale and q = 8), the processor returns one operand's payload and the JIT compiler
 * picks the operand order, so the scalar path does not define the NaN's bits either.
 */
final class VectorTinygemmDequantize {

  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> BYTES_PER_LONG =
      ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(LONGS.vectorBitSize() / 8));

  /** {@code 1.5 * 2^23}: adding a small int to its bits adds the int to its value. */
  private static final float MAGIC = 0x1.8p23f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  private static final int MID_POINT = (int) TinygemmAffine.MID_POINT;

  private VectorTinygemmDequantize() {}

  /**
   * Dequantizes a block whose sizes the caller has checked to float32 or bfloat16, into {@code out}
   * (see {@link DequantizeOutput#of}).
   */
  static float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype, float[] out) {
    out = DequantizeOutput.of(out, block.rowCount() * block.inFeatures());
    int bytesPerRow = Math.toIntExact(TinygemmBlocks.paddedInFeatures(block.inFeatures()) / 2);
    // One group loop per dtype, so that each compiled loop stays within C2's inlining budget.
    if (dtype == FloatDtype.BFLOAT16) {
      dequantizeGroupsBfloat16(block, groupSize, bytesPerRow, out);
    } else {
      dequantizeGroupsFloat32(block, groupSize, bytesPerRow, out);
    }
    return out;
  }

  private static void dequantizeGroupsFloat32(QuantizedBlock block, int groupSize, int bytesPerRow, float[] out) {
    byte[] qdata = block.qdata();
    float[] scales = block.scale();
    float[] zeroPoints = block.zeroPoint();
    int inFeatures = block.inFeatures();
    int groupsPerRow = block.groupsPerRow();
    for (int param = 0; param < scales.length; param++) {
      float scale = scales[param];
      float zeroPoint = zeroPoints[param];
      int row = param / groupsPerRow;
      int rowBytes = row * bytesPerRow;
      int rowOffset = row * inFeatures;
      int start = (param - row * groupsPerRow) * groupSize;
      int end = start + groupSize;
      int bodyStart = Math.min(start + (start & 1), end);
      int bodyEnd = bodyStart + VectorShapes.FLOATS.loopBound(end - bodyStart);
      for (int column = start; column < bodyStart; column++) {
        out[rowOffset + column] = ScalarTinygemmBlockKernel.dequantizeValue(
            qdata, rowBytes, column, scale, zeroPoint, FloatDtype.FLOAT32);
      }
      for (int column = bodyStart; column < bodyEnd; column += VectorShapes.LANES) {
        LongVector bytes = (LongVector) ByteVector.fromArray(BYTES_PER_LONG, qdata, rowBytes + (column >> 1))
            .convertShape(VectorOperators.B2L, LONGS, 0);
        IntVector nibbles = (IntVector) bytes.lanewise(VectorOperators.LSHR, 4).and(0xFL)
            .or(bytes.and(0xFL).lanewise(VectorOperators.LSHL, 32)).reinterpretShape(VectorShapes.INTS, 0);
        FloatVector centered = ((FloatVector) nibbles.add(MAGIC_BITS - MID_POINT)
            .reinterpretShape(VectorShapes.FLOATS, 0)).sub(MAGIC);
        centered.mul(scale).add(zeroPoint).intoArray(out, rowOffset + column);
      }
      for (int column = bodyEnd; column < end; column++) {
        out[rowOffset + column] = ScalarTinygemmBlockKernel.dequantizeValue(
            qdata, rowBytes, column, scale, zeroPoint, FloatDtype.FLOAT32);
      }
    }
  }

  private static void dequantizeGroupsBfloat16(QuantizedBlock block, int groupSize, int bytesPerRow, float[] out) {
    byte[] qdata = block.qdata();
    float[] scales = block.scale();
    float[] zeroPoints = block.zeroPoint();
    int inFeatures = block.inFeatures();
    int groupsPerRow = block.groupsPerRow();
    for (int param = 0; param < scales.length; param++) {
      float scale = scales[param];
      float zeroPoint = zeroPoints[param];
      int row = param / groupsPerRow;
      int rowBytes = row * bytesPerRow;
      int rowOffset = row * inFeatures;
      int start = (param - row * groupsPerRow) * groupSize;
      int end = start + groupSize;
      int bodyStart = Math.min(start + (start & 1), end);
      int bodyEnd = bodyStart + VectorShapes.FLOATS.loopBound(end - bodyStart);
      for (int column = start; column < bodyStart; column++) {
        out[rowOffset + column] = ScalarTinygemmBlockKernel.dequantizeValue(
            qdata, rowBytes, column, scale, zeroPoint, FloatDtype.BFLOAT16);
      }
      for (int column = bodyStart; column < bodyEnd; column += VectorShapes.LANES) {
        LongVector bytes = (LongVector) ByteVector.fromArray(BYTES_PER_LONG, qdata, rowBytes + (column >> 1))
            .convertShape(VectorOperators.B2L, LONGS, 0);
        IntVector nibbles = (IntVector) bytes.lanewise(VectorOperators.LSHR, 4).and(0xFL)
            .or(bytes.and(0xFL).lanewise(VectorOperators.LSHL, 32)).reinterpretShape(VectorShapes.INTS, 0);
        FloatVector centered = ((FloatVector) nibbles.add(MAGIC_BITS - MID_POINT)
            .reinterpretShape(VectorShapes.FLOATS, 0)).sub(MAGIC);

        IntVector product = (IntVector) centered.mul(scale).reinterpretShape(VectorShapes.INTS, 0);
        IntVector productRounded = product.add(product.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF)
            .and(0xFFFF_0000);
        VectorMask<Integer> productIsNaN = product.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000);
        IntVector productQuietNaN = product.or(0x0040_0000).and(0xFFFF_0000);
        FloatVector scaled = (FloatVector) productRounded.blend(productQuietNaN, productIsNaN)
            .reinterpretShape(VectorShapes.FLOATS, 0);

        IntVector sum = (IntVector) scaled.add(zeroPoint).reinterpretShape(VectorShapes.INTS, 0);
        IntVector sumRounded = sum.add(sum.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF)
            .and(0xFFFF_0000);
        VectorMask<Integer> sumIsNaN = sum.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000);
        ((FloatVector) sumRounded.blend(sum.or(0x0040_0000).and(0xFFFF_0000), sumIsNaN)
            .reinterpretShape(VectorShapes.FLOATS, 0))
            .intoArray(out, rowOffset + column);
      }
      for (int column = bodyEnd; column < end; column++) {
        out[rowOffset + column] = ScalarTinygemmBlockKernel.dequantizeValue(
            qdata, rowBytes, column, scale, zeroPoint, FloatDtype.BFLOAT16);
      }
    }
  }
}
