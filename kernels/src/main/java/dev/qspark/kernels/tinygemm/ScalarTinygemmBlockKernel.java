package dev.qspark.kernels.tinygemm;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.affine.NonFiniteScan;
import dev.qspark.kernels.format.Int4NibbleOrder;
import dev.qspark.kernels.simd.TinygemmBlockKernel;
import java.util.Arrays;

/**
 * The scalar {@link TinygemmBlockKernel}: {@link TinygemmAffine} value by value, then
 * {@link Int4NibbleOrder#EVEN_HIGH} row by row, with the padding columns set to
 * {@link TinygemmBlocks#paddingValue}. The first group whose min or max is not finite makes
 * {@link NonFiniteScan} raise for the whole block.
 */
public enum ScalarTinygemmBlockKernel implements TinygemmBlockKernel {
  INSTANCE;

  @Override
  public QuantizedBlock quantize(WeightBlock block, int groupSize, float eps, DeviceArithmetic device) {
    float[] values = block.values();
    FloatDtype dtype = block.dtype();
    int rows = block.rowCount();
    int inFeatures = block.inFeatures();
    int paddedInFeatures = Math.toIntExact(TinygemmBlocks.paddedInFeatures(inFeatures));
    int groupsPerRow = inFeatures / groupSize;

    byte paddingQ = (byte) TinygemmBlocks.paddingValue(dtype, eps, device);

    byte[] qvalues = new byte[rows * inFeatures];
    float[] scale = new float[rows * groupsPerRow];
    float[] zeroPoint = new float[rows * groupsPerRow];
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
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
          NonFiniteScan.requireFinite(block, groupSize);
        }
        float groupScale = TinygemmAffine.chooseScale(min, max, dtype, eps, device);
        float groupZeroPoint = TinygemmAffine.chooseZeroPoint(min, groupScale, dtype);
        float minValue = TinygemmAffine.minValue(groupScale, groupZeroPoint, dtype);
        for (int i = start; i < end; i++) {
          qvalues[i] = (byte) TinygemmAffine.quantize(values[i], minValue, groupScale, dtype);
        }
        scale[row * groupsPerRow + group] = groupScale;
        zeroPoint[row * groupsPerRow + group] = groupZeroPoint;
      }
    }

    int bytesPerRow = paddedInFeatures / 2;
    byte[] qdata = new byte[Math.multiplyExact(rows, bytesPerRow)];
    byte[] paddedRow = new byte[paddedInFeatures];
    Arrays.fill(paddedRow, inFeatures, paddedInFeatures, paddingQ);
    for (int row = 0; row < rows; row++) {
      System.arraycopy(qvalues, row * inFeatures, paddedRow, 0, inFeatures);
      Int4NibbleOrder.EVEN_HIGH.packRow(paddedRow, 0, paddedInFeatures, qdata, row * bytesPerRow);
    }
    return new QuantizedBlock(rows, inFeatures, qvalues, qdata, scale, zeroPoint, groupsPerRow);
  }

  @Override
  public float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype) {
    int rows = block.rowCount();
    int inFeatures = block.inFeatures();
    int groupsPerRow = block.groupsPerRow();
    int bytesPerRow = Math.toIntExact(TinygemmBlocks.paddedInFeatures(inFeatures) / 2);

    byte[] qdata = block.qdata();
    float[] out = new float[rows * inFeatures];
    for (int row = 0; row < rows; row++) {
      for (int column = 0; column < inFeatures; column++) {
        int param = row * groupsPerRow + column / groupSize;
        out[row * inFeatures + column] = dequantizeValue(
            qdata, row * bytesPerRow, column, block.scale()[param], block.zeroPoint()[param], dtype);
      }
    }
    return out;
  }

  /** Dequantizes column {@code column} of the row whose packed bytes start at {@code rowOffset}. */
  public static float dequantizeValue(
      byte[] qdata, int rowOffset, int column, float scale, float zeroPoint, FloatDtype dtype) {
    byte packed = qdata[rowOffset + column / 2];
    int q = column % 2 == 0
        ? Int4NibbleOrder.EVEN_HIGH.evenNibble(packed)
        : Int4NibbleOrder.EVEN_HIGH.oddNibble(packed);
    return TinygemmAffine.dequantize(q, scale, zeroPoint, dtype);
  }
}
