package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.simd.Int4PlainBlockKernel;

/** The reference {@link Int4PlainBlockKernel}: {@link Int4RowQuantizer} group by group, then {@link Int4NibbleOrder#EVEN_LOW}. */
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
    NonFiniteGroupScan.requireFinite(block, groupSize);
    float[] values = block.values();
    FloatDtype dtype = block.dtype();
    int rows = block.rowCount();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;

    for (int row = 0; row < rows; row++) {
      for (int group = 0; group < groupsPerRow; group++) {
        int start = row * inFeatures + group * groupSize;
        int end = start + groupSize;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = start; i < end; i++) {
          min = Math.min(min, values[i]);
          max = Math.max(max, values[i]);
        }
        float groupScale = Int4RowQuantizer.scale(min, max, device);
        for (int i = start; i < end; i++) {
          qvalues[i] = (byte) Int4RowQuantizer.quantize(values[i], min, groupScale);
        }
        int param = row * groupsPerRow + group;
        scale[param] = dtype.round(groupScale);
        zero[param] = dtype.round(Int4RowQuantizer.zero(min, groupScale));
      }
    }

    for (int row = 0; row < rows; row++) {
      Int4NibbleOrder.EVEN_LOW.packRow(qvalues, row * inFeatures, inFeatures, qdata, row * inFeatures / 2);
    }
  }
}
