package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.affine.GroupRange;
import dev.qspark.kernels.affine.NonFiniteScan;
import dev.qspark.kernels.simd.Int4PlainBlockKernel;

/**
 * The scalar {@link Int4PlainBlockKernel}: {@link Int4RowQuantizer} group by group, then
 * {@link Int4NibbleOrder#EVEN_LOW} row by row while the row is still in cache.
 *
 * <p>Groups with a finite scale take {@link Int4RowQuantizer#quantizeFiniteScale}, which gives the
 * same values as {@link Int4RowQuantizer#quantize} without its clamp; the others take the latter.
 * The first group whose min or max is not finite makes {@link NonFiniteScan} raise for the
 * whole block.
 *
 * <p>{@link #dequantize} applies {@link Int4RowQuantizer#dequantize} to each value, rounded to the
 * output dtype.
 */
public enum ScalarInt4PlainBlockKernel implements Int4PlainBlockKernel {
  INSTANCE;

  @Override
  public void quantize(
      WeightBlock block,
      int groupSize,
      DeviceArithmetic device,
      byte[] qvalues,
      byte[] qdata,
      float[] scale,
      float[] zero) {
    float[] values = block.values();
    FloatDtype dtype = block.dtype();
    int rows = block.rowCount();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;

    for (int row = 0; row < rows; row++) {
      for (int group = 0; group < groupsPerRow; group++) {
        int start = row * inFeatures + group * groupSize;
        long range = GroupRange.of(values, start, groupSize);
        if (!GroupRange.isFinite(range)) {
          NonFiniteScan.requireFinite(block, groupSize);
        }
        float min = GroupRange.min(range);
        float groupScale = Int4RowQuantizer.scale(min, GroupRange.max(range), device);
        quantizeGroup(values, start, groupSize, min, groupScale, qvalues);
        int param = row * groupsPerRow + group;
        scale[param] = dtype.round(groupScale);
        zero[param] = dtype.round(Int4RowQuantizer.zero(min, groupScale));
      }
      Int4NibbleOrder.EVEN_LOW.packRow(qvalues, row * inFeatures, inFeatures, qdata, row * inFeatures / 2);
    }
  }

  @Override
  public float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype) {
    int rows = block.rowCount();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;
    byte[] qdata = block.qdata();
    float[] scales = block.scale();
    float[] zeros = block.zeroPoint();
    float[] out = new float[rows * inFeatures];
    // One pass per group with its scale and zero point hoisted, and the same arithmetic per value as
    // Int4RowQuantizer.dequantize. Value i of the block is nibble (i & 1) of byte i / 2: rows are
    // whole bytes because in_features is even, and EVEN_LOW puts even columns in the low nibble.
    int param = 0;
    int index = 0;
    for (int row = 0; row < rows; row++) {
      for (int group = 0; group < groupsPerRow; group++, param++) {
        float scale = scales[param];
        float zero = zeros[param];
        for (int end = index + groupSize; index < end; index++) {
          out[index] = dequantizeValue(qdata, index, scale, zero, dtype);
        }
      }
    }
    return out;
  }

  /** Dequantizes value {@code index} of a block from its nibble in {@code qdata}. */
  public static float dequantizeValue(byte[] qdata, int index, float scale, float zero, FloatDtype dtype) {
    int nibble = (qdata[index >> 1] >> ((index & 1) << 2)) & 0xF;
    return dtype.round(Int4RowQuantizer.dequantize(Int4NibbleOrder.signExtend(nibble), scale, zero));
  }

  private static void quantizeGroup(float[] values, int start, int length, float min, float scale, byte[] out) {
    int end = start + length;
    if (Float.isFinite(scale)) {
      for (int i = start; i < end; i++) {
        out[i] = (byte) Int4RowQuantizer.quantizeFiniteScale(values[i], min, scale);
      }
    } else {
      for (int i = start; i < end; i++) {
        out[i] = (byte) Int4RowQuantizer.quantize(values[i], min, scale);
      }
    }
  }
}
