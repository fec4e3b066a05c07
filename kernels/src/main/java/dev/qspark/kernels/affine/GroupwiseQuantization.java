package dev.qspark.kernels.affine;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;

/**
 * Quantizes and dequantizes a block of rows group by group with the integer zero-point formulas:
 * {@link ChooseQParams}, then {@link QuantizeAffine}, and {@link DequantizeAffine} on the way back.
 *
 * <p>Groups are runs of {@code groupSize} consecutive elements of one row, as torchao's
 * {@code block_size = (1, groupSize)}. With a whole tensor's range, one pair of qparams serves
 * every element (per-tensor granularity) and the block stores it once.
 */
public final class GroupwiseQuantization {

  /**
   * The quantized integers and qparams of a block, in the block layout.
   *
   * @param qvalues {@code [rowCount, inFeatures]} row-major
   * @param scale {@code [rowCount, groupsPerRow]} row-major, or one value for a whole tensor's range
   * @param zeroPoint the same shape as {@code scale}
   * @param groupsPerRow groups in each row
   */
  public record Result(byte[] qvalues, float[] scale, float[] zeroPoint, int groupsPerRow) {}

  private GroupwiseQuantization() {}

  /**
   * Quantizes the block.
   *
   * @param groupSize elements per group; must divide the row length
   * @param eps the scale's lower clamp
   * @param scaleDtype the dtype the scale is stored in
   * @param tensorRange the whole tensor's range for per-tensor granularity, else null
   */
  public static Result quantize(
      WeightBlock block,
      int groupSize,
      ChooseQParams chooser,
      float eps,
      FloatDtype scaleDtype,
      TensorRange tensorRange) {
    FloatDtype inputDtype = block.dtype();
    float[] values = block.values();
    byte[] qvalues = new byte[values.length];
    if (tensorRange != null) {
      QParams qparams = chooser.chooseFromRange(tensorRange.min(), tensorRange.max(), inputDtype, eps, scaleDtype);
      QuantizeAffine.quantizeGroup(
          values, 0, values.length, inputDtype, qparams, scaleDtype, chooser.bounds(), qvalues, 0);
      return new Result(qvalues, new float[] {qparams.scale()}, new float[] {qparams.zeroPoint()}, 1);
    }
    int groupsPerRow = groupsPerRow(block.inFeatures(), groupSize);
    int groupCount = block.rowCount() * groupsPerRow;
    float[] scale = new float[groupCount];
    float[] zeroPoint = new float[groupCount];
    for (int group = 0; group < groupCount; group++) {
      int offset = group * groupSize;
      QParams qparams = chooser.choose(values, offset, groupSize, inputDtype, eps, scaleDtype);
      QuantizeAffine.quantizeGroup(
          values, offset, groupSize, inputDtype, qparams, scaleDtype, chooser.bounds(), qvalues, offset);
      scale[group] = qparams.scale();
      zeroPoint[group] = qparams.zeroPoint();
    }
    return new Result(qvalues, scale, zeroPoint, groupsPerRow);
  }

  /**
   * Dequantizes a block's unpacked integers with its stored qparams.
   *
   * @param groupSize elements per group; ignored when the block stores a single per-tensor pair
   * @param perTensor whether the block stores one scale and zero point for all of its elements.
   *     A block without a stored zero point dequantizes with zero point 0.
   */
  public static float[] dequantize(
      QuantizedBlock block,
      int groupSize,
      boolean perTensor,
      QuantBounds bounds,
      FloatDtype scaleDtype,
      FloatDtype outputDtype) {
    byte[] qvalues = block.qvalues();
    float[] out = new float[qvalues.length];
    if (perTensor) {
      QParams qparams = new QParams(block.scale()[0], zeroPointAt(block, 0));
      DequantizeAffine.dequantizeGroup(qvalues, 0, qvalues.length, bounds, qparams, scaleDtype, outputDtype, out, 0);
      return out;
    }
    int groupCount = block.scale().length;
    for (int group = 0; group < groupCount; group++) {
      QParams qparams = new QParams(block.scale()[group], zeroPointAt(block, group));
      int offset = group * groupSize;
      DequantizeAffine.dequantizeGroup(
          qvalues, offset, groupSize, bounds, qparams, scaleDtype, outputDtype, out, offset);
    }
    return out;
  }

  /** Returns how many groups of {@code groupSize} a row of {@code inFeatures} holds. */
  public static int groupsPerRow(int inFeatures, int groupSize) {
    if (groupSize <= 0 || inFeatures % groupSize != 0) {
      throw new IllegalArgumentException(
          "Cannot split rows of " + inFeatures + " elements into groups of " + groupSize
              + ": the group size must divide in_features");
    }
    return inFeatures / groupSize;
  }

  private static float zeroPointAt(QuantizedBlock block, int index) {
    return block.zeroPoint() == null ? 0.0f : block.zeroPoint()[index];
  }
}
