package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.affine.GroupRange;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.format.Int4NibbleOrder;
import dev.qspark.kernels.format.Int4RowQuantizer;
import dev.qspark.kernels.format.ScalarInt4PlainBlockKernel;
import dev.qspark.kernels.simd.Int4PlainBlockKernel;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link Int4PlainBlockKernel}, in two passes per row: per group a vector min/max,
 * the reference {@link Int4RowQuantizer#scale} and {@link Int4RowQuantizer#zero}, then per group one
 * vector pass that computes {@code clamp(rint((x - min) / scale), 0, 15) - 8} with the same float32
 * subtraction and true division, stores the values and packs them.
 *
 * <p>The fused pass needs a group size that is a multiple of the vector length; other group sizes
 * run the scalar kernel. A group whose scale is not finite (its range overflows float32) is
 * quantized through the reference helper, since its quotients can be NaN. A non-finite min or max
 * makes the scalar kernel raise.
 *
 * <p>Packing reads each pair of int lanes {@code q[2j], q[2j+1]} as one little-endian long lane,
 * which holds the bits of {@code q[2j]} in bits 0..31 and those of {@code q[2j+1]} in bits 32..63.
 * Bits 0..3, and bits 32..35 moved to 4..7, form the {@link Int4NibbleOrder#EVEN_LOW} byte, which
 * the narrowing to bytes keeps.
 *
 * <p>{@link #dequantize} runs {@link VectorInt4PlainDequantize} for float32 and bfloat16 outputs and
 * the scalar kernel for float16.
 */
public final class VectorInt4PlainBlockKernel implements Int4PlainBlockKernel {

  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> BYTES_PER_LONG =
      ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(LONGS.vectorBitSize() / 8));

  /** {@code 1.5 * 2^23}, as in {@link Int4RowQuantizer#quantizeFiniteScale}. */
  private static final float MAGIC = 0x1.8p23f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  private static final int ZERO_OFFSET = 8;

  @Override
  public void quantize(
      WeightBlock block,
      int groupSize,
      DeviceArithmetic device,
      byte[] qvalues,
      byte[] qdata,
      float[] scale,
      float[] zero) {
    if (groupSize % VectorShapes.LANES != 0) {
      ScalarInt4PlainBlockKernel.INSTANCE.quantize(block, groupSize, device, qvalues, qdata, scale, zero);
      return;
    }
    float[] values = block.values();
    FloatDtype dtype = block.dtype();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;
    float[] rowMin = new float[groupsPerRow];
    float[] rowScale = new float[groupsPerRow];
    for (int row = 0; row < block.rowCount(); row++) {
      int rowOffset = row * inFeatures;
      int firstParam = row * groupsPerRow;
      // First pass: the float32 min and scale of every group of the row. The groups do not depend on
      // each other, so the core overlaps one group's reductions and divisions with the next group's.
      for (int group = 0; group < groupsPerRow; group++) {
        long range = VectorGroupRange.of(values, rowOffset + group * groupSize, groupSize);
        if (!GroupRange.isFinite(range)) {
          // The scalar kernel scans the whole block and raises with every affected group.
          ScalarInt4PlainBlockKernel.INSTANCE.quantize(block, groupSize, device, qvalues, qdata, scale, zero);
        }
        float min = GroupRange.min(range);
        float groupScale = Int4RowQuantizer.scale(min, GroupRange.max(range), device);
        rowMin[group] = min;
        rowScale[group] = groupScale;
        scale[firstParam + group] = dtype.round(groupScale);
        zero[firstParam + group] = dtype.round(Int4RowQuantizer.zero(min, groupScale));
      }
      // Second pass: quantize and pack the row, which is still in cache.
      for (int group = 0; group < groupsPerRow; group++) {
        int offset = rowOffset + group * groupSize;
        if (Float.isFinite(rowScale[group])) {
          quantizeAndPack(values, offset, groupSize, rowMin[group], rowScale[group], qvalues, qdata);
        } else {
          quantizeAndPackReference(values, offset, groupSize, rowMin[group], rowScale[group], qvalues, qdata);
        }
      }
    }
  }

  @Override
  public float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype) {
    return dequantize(block, groupSize, dtype, null);
  }

  @Override
  public float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype, float[] out) {
    if (dtype == FloatDtype.FLOAT16) {
      return ScalarInt4PlainBlockKernel.INSTANCE.dequantize(block, groupSize, dtype);
    }
    return VectorInt4PlainDequantize.dequantize(block, groupSize, dtype, out);
  }

  /**
   * Quantizes a group whose length is a multiple of the vector length and whose scale is finite,
   * lane by lane as {@link Int4RowQuantizer#quantizeFiniteScale}, and packs it.
   */
  private static void quantizeAndPack(
      float[] values, int offset, int length, float min, float scale, byte[] qvalues, byte[] qdata) {
    int end = offset + length;
    for (int i = offset; i < end; i += VectorShapes.LANES) {
      FloatVector quotient = FloatVector.fromArray(VectorShapes.FLOATS, values, i).sub(min).div(scale);
      IntVector quantized = ((IntVector) quotient.add(MAGIC).reinterpretShape(VectorShapes.INTS, 0))
          .sub(MAGIC_BITS + ZERO_OFFSET);
      ((ByteVector) quantized.convertShape(VectorOperators.I2B, VectorShapes.BYTES_PER_FLOAT, 0))
          .intoArray(qvalues, i);
      LongVector pairs = (LongVector) quantized.reinterpretShape(LONGS, 0);
      LongVector packed = pairs.and(0xFL).or(pairs.lanewise(VectorOperators.LSHR, 28).and(0xF0L));
      ((ByteVector) packed.convertShape(VectorOperators.L2B, BYTES_PER_LONG, 0))
          .intoArray(qdata, i / 2);
    }
  }

  private static void quantizeAndPackReference(
      float[] values, int offset, int length, float min, float scale, byte[] qvalues, byte[] qdata) {
    for (int i = offset; i < offset + length; i++) {
      qvalues[i] = (byte) Int4RowQuantizer.quantize(values[i], min, scale);
    }
    Int4NibbleOrder.EVEN_LOW.packRow(qvalues, offset, length, qdata, offset / 2);
  }
}
