package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.affine.GroupRange;
import dev.qspark.kernels.format.Int4NibbleOrder;
import dev.qspark.kernels.simd.TinygemmBlockKernel;
import dev.qspark.kernels.tinygemm.ScalarTinygemmBlockKernel;
import dev.qspark.kernels.tinygemm.TinygemmAffine;
import dev.qspark.kernels.tinygemm.TinygemmBlocks;
import java.util.Arrays;

/**
 * The Vector API {@link TinygemmBlockKernel}, in two passes per row: per group a vector min/max and
 * the reference {@link TinygemmAffine} qparams, then per group one vector pass of
 * {@link VectorTinygemmQuantize} that quantizes and packs. The padding bytes of each row are filled
 * with the packed {@link TinygemmBlocks#paddingValue}.
 *
 * <p>Only for float32 and bfloat16 weights, and for a group size that is a multiple of the vector
 * length (so that every group starts at an even column); the others run the scalar kernel, and so
 * does a block with NaN or an infinity. A group whose scale or min_val is not finite (its range
 * overflows) is quantized through the reference helper, since its quotients can be NaN.
 *
 * <p>{@link #dequantize} runs {@link VectorTinygemmDequantize} for float32 and bfloat16 outputs and
 * the scalar kernel for float16.
 */
public final class VectorTinygemmBlockKernel implements TinygemmBlockKernel {

  @Override
  public QuantizedBlock quantize(WeightBlock block, int groupSize, float eps, DeviceArithmetic device) {
    FloatDtype dtype = block.dtype();
    if (dtype == FloatDtype.FLOAT16 || groupSize % VectorShapes.LANES != 0) {
      return ScalarTinygemmBlockKernel.INSTANCE.quantize(block, groupSize, eps, device);
    }
    float[] values = block.values();
    int rows = block.rowCount();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;
    int bytesPerRow = Math.toIntExact(TinygemmBlocks.paddedInFeatures(inFeatures) / 2);
    int paddingQ = TinygemmBlocks.paddingValue(dtype, eps, device);
    byte paddingByte = (byte) (paddingQ << 4 | paddingQ);

    byte[] qvalues = new byte[rows * inFeatures];
    byte[] qdata = new byte[Math.multiplyExact(rows, bytesPerRow)];
    float[] scale = new float[rows * groupsPerRow];
    float[] zeroPoint = new float[rows * groupsPerRow];
    float[] rowMinValue = new float[groupsPerRow];
    for (int row = 0; row < rows; row++) {
      int rowOffset = row * inFeatures;
      int firstParam = row * groupsPerRow;
      // First pass: the qparams of every group of the row. The groups do not depend on each other,
      // so the core overlaps one group's reductions and divisions with the next group's.
      for (int group = 0; group < groupsPerRow; group++) {
        long range = VectorGroupRange.of(values, rowOffset + group * groupSize, groupSize);
        if (!GroupRange.isFinite(range)) {
          return ScalarTinygemmBlockKernel.INSTANCE.quantize(block, groupSize, eps, device);
        }
        float min = GroupRange.min(range);
        float groupScale = TinygemmAffine.chooseScale(min, GroupRange.max(range), dtype, eps, device);
        float groupZeroPoint = TinygemmAffine.chooseZeroPoint(min, groupScale, dtype);
        scale[firstParam + group] = groupScale;
        zeroPoint[firstParam + group] = groupZeroPoint;
        rowMinValue[group] = TinygemmAffine.minValue(groupScale, groupZeroPoint, dtype);
      }
      // Second pass: quantize and pack the row, which is still in cache.
      int rowBytes = row * bytesPerRow;
      for (int group = 0; group < groupsPerRow; group++) {
        int offset = rowOffset + group * groupSize;
        int qdataOffset = rowBytes + group * groupSize / 2;
        float groupScale = scale[firstParam + group];
        float minValue = rowMinValue[group];
        if (!Float.isFinite(groupScale) || !Float.isFinite(minValue)) {
          quantizeAndPackReference(
              values, offset, groupSize, minValue, groupScale, dtype, qvalues, qdata, qdataOffset);
        } else if (dtype == FloatDtype.BFLOAT16) {
          VectorTinygemmQuantize.quantizeBfloat16(
              values, offset, groupSize, minValue, groupScale, qvalues, qdata, qdataOffset);
        } else {
          VectorTinygemmQuantize.quantizeFloat32(
              values, offset, groupSize, minValue, groupScale, qvalues, qdata, qdataOffset);
        }
      }
      Arrays.fill(qdata, rowBytes + inFeatures / 2, rowBytes + bytesPerRow, paddingByte);
    }
    return new QuantizedBlock(rows, inFeatures, qvalues, qdata, scale, zeroPoint, groupsPerRow);
  }

  @Override
  public float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype) {
    return dequantize(block, groupSize, dtype, null);
  }

  @Override
  public float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype, float[] out) {
    if (dtype == FloatDtype.FLOAT16) {
      return ScalarTinygemmBlockKernel.INSTANCE.dequantize(block, groupSize, dtype);
    }
    return VectorTinygemmDequantize.dequantize(block, groupSize, dtype, out);
  }

  private static void quantizeAndPackReference(float[] values, int offset, int length, float minValue, float scale,
      FloatDtype dtype, byte[] qvalues, byte[] qdata, int qdataOffset) {
    for (int i = offset; i < offset + length; i++) {
      qvalues[i] = (byte) TinygemmAffine.quantize(values[i], minValue, scale, dtype);
    }
    Int4NibbleOrder.EVEN_HIGH.packRow(qvalues, offset, length, qdata, qdataOffset);
  }
}
