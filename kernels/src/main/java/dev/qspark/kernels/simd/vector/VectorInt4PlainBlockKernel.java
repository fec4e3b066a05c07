package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.format.Int4RowQuantizer;
import dev.qspark.kernels.format.ScalarInt4PlainBlockKernel;
import dev.qspark.kernels.simd.Int4PlainBlockKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * The Vector API {@link Int4PlainBlockKernel}: per group a vector min/max, the reference
 * {@link Int4RowQuantizer#scale} and {@link Int4RowQuantizer#zero}, a vector body of
 * {@code clamp(rint((x - min) / scale), 0, 15) - 8} with the same float32 subtraction and true
 * division, and a scalar tail through {@link Int4RowQuantizer#quantize}. Rows are packed by
 * {@link VectorInt4Packer}. A non-finite min or max makes the reference kernel raise.
 */
public final class VectorInt4PlainBlockKernel implements Int4PlainBlockKernel {

  private static final int QUANT_MAX = 15;
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
    float[] values = block.values();
    FloatDtype dtype = block.dtype();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;
    int groupCount = block.rowCount() * groupsPerRow;

    for (int group = 0; group < groupCount; group++) {
      int offset = group * groupSize;
      long range = VectorGroupRange.of(values, offset, groupSize);
      if (!VectorGroupRange.isFinite(range)) {
        // The reference scans the whole block and raises with every affected group.
        ScalarInt4PlainBlockKernel.INSTANCE.quantize(block, groupSize, device, qvalues, qdata, scale, zero);
      }
      float min = VectorGroupRange.min(range);
      float groupScale = Int4RowQuantizer.scale(min, VectorGroupRange.max(range), device);
      quantizeGroup(values, offset, groupSize, min, groupScale, qvalues);
      scale[group] = dtype.round(groupScale);
      zero[group] = dtype.round(Int4RowQuantizer.zero(min, groupScale));
    }
    for (int row = 0; row < block.rowCount(); row++) {
      VectorInt4Packer.packEvenLow(qvalues, row * inFeatures, inFeatures, qdata, row * inFeatures / 2);
    }
  }

  private static void quantizeGroup(float[] values, int offset, int length, float min, float scale, byte[] out) {
    int end = offset + length;
    int bodyEnd = offset + VectorShapes.FLOATS.loopBound(length);
    for (int i = offset; i < bodyEnd; i += VectorShapes.LANES) {
      FloatVector quotient = FloatVector.fromArray(VectorShapes.FLOATS, values, i).sub(min).div(scale);
      IntVector quantized = VectorRounding.rintToInt(quotient).max(0).min(QUANT_MAX).sub(ZERO_OFFSET);
      VectorRounding.storeAsBytes(quantized, out, i);
    }
    for (int i = bodyEnd; i < end; i++) {
      out[i] = (byte) Int4RowQuantizer.quantize(values[i], min, scale);
    }
  }
}
