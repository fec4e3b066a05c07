package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.GroupRange;
import dev.qspark.kernels.affine.GroupwiseQuantization;
import dev.qspark.kernels.affine.NonFiniteScan;
import dev.qspark.kernels.affine.QParams;
import dev.qspark.kernels.affine.QuantBounds;
import dev.qspark.kernels.affine.QuantizeAffine;
import dev.qspark.kernels.affine.ScalarAffineBlockKernel;
import dev.qspark.kernels.affine.TypePromotion;
import dev.qspark.kernels.simd.AffineBlockKernel;

/**
 * The Vector API {@link AffineBlockKernel}, in two passes per row: per group a vector min/max (or
 * largest magnitude) and the reference {@link ChooseQParams}, then per group a vector quantize. A
 * non-finite min or max means the block holds NaN or an infinity, and the reference scan then
 * raises with every affected group.
 *
 * <p>Only for a compute dtype ({@code result_type(input, scale)}) of float32 or bfloat16.
 * {@link #dequantize} runs {@link VectorAffineDequantize} group by group for float32 and bfloat16
 * outputs, and the scalar kernel for float16.
 */
public final class VectorAffineBlockKernel implements AffineBlockKernel {

  @Override
  public GroupwiseQuantization.Result quantize(
      WeightBlock block,
      int groupSize,
      ChooseQParams chooser,
      float eps,
      FloatDtype scaleDtype,
      TensorRange tensorRange) {
    if (tensorRange != null) {
      return quantizeTensor(block, groupSize, chooser, eps, scaleDtype, tensorRange);
    }
    float[] values = block.values();
    int groupsPerRow = GroupwiseQuantization.groupsPerRow(block.inFeatures(), groupSize);
    int groupCount = block.rowCount() * groupsPerRow;
    byte[] qvalues = new byte[values.length];
    float[] scale = new float[groupCount];
    float[] zeroPoint = new float[groupCount];
    FloatDtype computeDtype = TypePromotion.resultType(block.dtype(), scaleDtype);
    // One group loop per compute dtype keeps each compiled loop small: C2 stops inlining once a
    // method grows past its node budget, and a Vector API call left out of line allocates its vectors.
    if (computeDtype == FloatDtype.BFLOAT16) {
      quantizeGroupsBfloat16(block, groupSize, chooser, eps, scaleDtype, qvalues, scale, zeroPoint);
    } else {
      quantizeGroupsFloat32(block, groupSize, chooser, eps, scaleDtype, qvalues, scale, zeroPoint);
    }
    return new GroupwiseQuantization.Result(qvalues, scale, zeroPoint, groupsPerRow);
  }

  private static void quantizeGroupsFloat32(
      WeightBlock block,
      int groupSize,
      ChooseQParams chooser,
      float eps,
      FloatDtype scaleDtype,
      byte[] qvalues,
      float[] scale,
      float[] zeroPoint) {
    float[] values = block.values();
    int quantMin = chooser.bounds().quantMin();
    int quantMax = chooser.bounds().quantMax();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;
    float[] rowReciprocal = new float[groupsPerRow];
    for (int row = 0; row < block.rowCount(); row++) {
      int rowOffset = row * inFeatures;
      int firstParam = row * groupsPerRow;
      // First pass: the qparams of every group of the row. The groups do not depend on each other,
      // so the core overlaps one group's reductions and divisions with the next group's.
      for (int group = 0; group < groupsPerRow; group++) {
        QParams qparams = chooseGroup(block, rowOffset + group * groupSize, groupSize, chooser, eps, scaleDtype);
        rowReciprocal[group] = QuantizeAffine.reciprocal(qparams.scale(), scaleDtype);
        scale[firstParam + group] = qparams.scale();
        zeroPoint[firstParam + group] = qparams.zeroPoint();
      }
      // Second pass: quantize the row, which is still in cache.
      for (int group = 0; group < groupsPerRow; group++) {
        VectorAffineQuantize.quantizeFloat32(values, rowOffset + group * groupSize, groupSize, rowReciprocal[group],
            zeroPoint[firstParam + group], quantMin, quantMax, qvalues);
      }
    }
  }

  private static void quantizeGroupsBfloat16(
      WeightBlock block,
      int groupSize,
      ChooseQParams chooser,
      float eps,
      FloatDtype scaleDtype,
      byte[] qvalues,
      float[] scale,
      float[] zeroPoint) {
    float[] values = block.values();
    int quantMin = chooser.bounds().quantMin();
    int quantMax = chooser.bounds().quantMax();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;
    float[] rowReciprocal = new float[groupsPerRow];
    for (int row = 0; row < block.rowCount(); row++) {
      int rowOffset = row * inFeatures;
      int firstParam = row * groupsPerRow;
      // First pass: the qparams of every group of the row. The groups do not depend on each other,
      // so the core overlaps one group's reductions and divisions with the next group's.
      for (int group = 0; group < groupsPerRow; group++) {
        QParams qparams = chooseGroup(block, rowOffset + group * groupSize, groupSize, chooser, eps, scaleDtype);
        rowReciprocal[group] = QuantizeAffine.reciprocal(qparams.scale(), scaleDtype);
        scale[firstParam + group] = qparams.scale();
        zeroPoint[firstParam + group] = qparams.zeroPoint();
      }
      // Second pass: quantize the row, which is still in cache.
      for (int group = 0; group < groupsPerRow; group++) {
        VectorAffineQuantize.quantizeBfloat16(values, rowOffset + group * groupSize, groupSize, rowReciprocal[group],
            zeroPoint[firstParam + group], quantMin, quantMax, qvalues);
      }
    }
  }

  @Override
  public float[] dequantize(
      QuantizedBlock block,
      int groupSize,
      boolean perTensor,
      QuantBounds bounds,
      FloatDtype scaleDtype,
      FloatDtype outputDtype,
      float[] out) {
    if (outputDtype == FloatDtype.FLOAT16) {
      return ScalarAffineBlockKernel.INSTANCE.dequantize(
          block, groupSize, perTensor, bounds, scaleDtype, outputDtype, null);
    }
    byte[] qvalues = block.qvalues();
    out = DequantizeOutput.of(out, qvalues.length);
    FloatDtype productDtype = TypePromotion.resultType(outputDtype, scaleDtype);
    int groupCount = perTensor ? 1 : block.scale().length;
    int length = perTensor ? qvalues.length : groupSize;
    for (int group = 0; group < groupCount; group++) {
      float zeroPoint = outputDtype.round(block.zeroPoint() == null ? 0.0f : block.zeroPoint()[group]);
      float scale = block.scale()[group];
      if (outputDtype == FloatDtype.BFLOAT16) {
        VectorAffineDequantize.dequantizeBfloat16(
            qvalues, group * length, length, bounds, zeroPoint, scale, productDtype, out);
      } else {
        VectorAffineDequantize.dequantizeFloat32(qvalues, group * length, length, bounds, zeroPoint, scale, out);
      }
    }
    return out;
  }

  /**
   * Chooses the qparams of the group at {@code offset}: from its largest magnitude alone where the
   * mapping allows (one reduction instead of two), else from its min and max.
   *
   * @throws dev.qspark.kernels.NonFiniteValuesException when the group contains NaN or an infinity
   */
  private static QParams chooseGroup(
      WeightBlock block, int offset, int groupSize, ChooseQParams chooser, float eps, FloatDtype scaleDtype) {
    float[] values = block.values();
    if (chooser.needsOnlyMaxMagnitude()) {
      float magnitude = VectorGroupRange.maxMagnitude(values, offset, groupSize);
      if (!Float.isFinite(magnitude)) {
        NonFiniteScan.requireFinite(block, groupSize);
      }
      return chooser.chooseFromMaxMagnitude(magnitude, block.dtype(), eps, scaleDtype);
    }
    long range = VectorGroupRange.of(values, offset, groupSize);
    if (!GroupRange.isFinite(range)) {
      NonFiniteScan.requireFinite(block, groupSize);
    }
    return chooser.chooseFromRange(GroupRange.min(range), GroupRange.max(range), block.dtype(), eps, scaleDtype);
  }

  /** Quantizes the block with the one pair of qparams of the whole weight's range. */
  private static GroupwiseQuantization.Result quantizeTensor(
      WeightBlock block,
      int groupSize,
      ChooseQParams chooser,
      float eps,
      FloatDtype scaleDtype,
      TensorRange tensorRange) {
    float[] values = block.values();
    if (!GroupRange.isFinite(VectorGroupRange.of(values, 0, values.length))) {
      NonFiniteScan.requireFinite(block, groupSize);
    }
    QParams qparams = chooser.chooseFromRange(tensorRange.min(), tensorRange.max(), block.dtype(), eps, scaleDtype);
    float reciprocal = QuantizeAffine.reciprocal(qparams.scale(), scaleDtype);
    int quantMin = chooser.bounds().quantMin();
    int quantMax = chooser.bounds().quantMax();
    byte[] qvalues = new byte[values.length];
    if (TypePromotion.resultType(block.dtype(), scaleDtype) == FloatDtype.BFLOAT16) {
      VectorAffineQuantize.quantizeBfloat16(
          values, 0, values.length, reciprocal, qparams.zeroPoint(), quantMin, quantMax, qvalues);
    } else {
      VectorAffineQuantize.quantizeFloat32(
          values, 0, values.length, reciprocal, qparams.zeroPoint(), quantMin, quantMax, qvalues);
    }
    return new GroupwiseQuantization.Result(
        qvalues, new float[] {qparams.scale()}, new float[] {qparams.zeroPoint()}, 1);
  }
}
