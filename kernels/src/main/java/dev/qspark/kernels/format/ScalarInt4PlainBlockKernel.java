package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.affine.GroupRange;
import dev.qspark.kernels.simd.Int4PlainBlockKernel;

/**
 * The scalar {@link Int4PlainBlockKernel}: {@link Int4RowQuantizer} group by group, then
 * {@link Int4NibbleOrder#EVEN_LOW} row by row while the row is still in cache.
 *
 * <p>Groups with a finite scale take {@link Int4RowQuantizer#quantizeFiniteScale}, which gives the
 * same values as {@link Int4RowQuantizer#quantize} without its clamp; the others take the latter.
 * The first group whose min or max is not finite makes {@link NonFiniteGroupScan} raise for the
 * whole block.
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
          NonFiniteGroupScan.requireFinite(block, groupSize);
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
