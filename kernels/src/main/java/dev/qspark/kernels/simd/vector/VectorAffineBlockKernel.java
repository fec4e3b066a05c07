package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.affine.GroupRange;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.GroupwiseQuantization;
import dev.qspark.kernels.affine.NonFiniteScan;
import dev.qspark.kernels.affine.QParams;
import dev.qspark.kernels.affine.QuantizeAffine;
import dev.qspark.kernels.affine.TypePromotion;
import dev.qspark.kernels.simd.AffineBlockKernel;

/**
 * The Vector API {@link AffineBlockKernel}: per group a vector min/max, the reference
 * {@link ChooseQParams#chooseFromRange} and a vector quantize. A non-finite min or max means the
 * block holds NaN or an infinity; the reference scan then raises with every affected group.
 *
 * <p>Only for a compute dtype ({@code result_type(input, scale)}) of float32 or bfloat16.
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
    FloatDtype inputDtype = block.dtype();
    FloatDtype computeDtype = TypePromotion.resultType(inputDtype, scaleDtype);
    float[] values = block.values();
    byte[] qvalues = new byte[values.length];
    int quantMin = chooser.bounds().quantMin();
    int quantMax = chooser.bounds().quantMax();

    if (tensorRange != null) {
      if (!GroupRange.isFinite(VectorGroupRange.of(values, 0, values.length))) {
        NonFiniteScan.requireFinite(block, groupSize);
      }
      QParams qparams = chooser.chooseFromRange(tensorRange.min(), tensorRange.max(), inputDtype, eps, scaleDtype);
      float reciprocal = QuantizeAffine.reciprocal(qparams.scale(), scaleDtype);
      VectorAffineQuantize.quantize(values, 0, values.length, reciprocal, qparams.zeroPoint(), computeDtype,
          quantMin, quantMax, qvalues);
      return new GroupwiseQuantization.Result(
          qvalues, new float[] {qparams.scale()}, new float[] {qparams.zeroPoint()}, 1);
    }

    int groupsPerRow = GroupwiseQuantization.groupsPerRow(block.inFeatures(), groupSize);
    int groupCount = block.rowCount() * groupsPerRow;
    float[] scale = new float[groupCount];
    float[] zeroPoint = new float[groupCount];
    for (int group = 0; group < groupCount; group++) {
      int offset = group * groupSize;
      long range = VectorGroupRange.of(values, offset, groupSize);
      if (!GroupRange.isFinite(range)) {
        NonFiniteScan.requireFinite(block, groupSize);
      }
      QParams qparams = chooser.chooseFromRange(
          GroupRange.min(range), GroupRange.max(range), inputDtype, eps, scaleDtype);
      float reciprocal = QuantizeAffine.reciprocal(qparams.scale(), scaleDtype);
      VectorAffineQuantize.quantize(values, offset, groupSize, reciprocal, qparams.zeroPoint(), computeDtype,
          quantMin, quantMax, qvalues);
      scale[group] = qparams.scale();
      zeroPoint[group] = qparams.zeroPoint();
    }
    return new GroupwiseQuantization.Result(qvalues, scale, zeroPoint, groupsPerRow);
  }
}
