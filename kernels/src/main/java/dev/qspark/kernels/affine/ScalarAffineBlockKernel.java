package dev.qspark.kernels.affine;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.simd.AffineBlockKernel;

/**
 * The reference {@link AffineBlockKernel}: {@link NonFiniteScan}, then {@link GroupwiseQuantization},
 * and {@link GroupwiseQuantization#dequantize} on the way back.
 */
public enum ScalarAffineBlockKernel implements AffineBlockKernel {
  INSTANCE;

  @Override
  public GroupwiseQuantization.Result quantize(
      WeightBlock block,
      int groupSize,
      ChooseQParams chooser,
      float eps,
      FloatDtype scaleDtype,
      TensorRange tensorRange) {
    NonFiniteScan.requireFinite(block, groupSize);
    return GroupwiseQuantization.quantize(block, groupSize, chooser, eps, scaleDtype, tensorRange);
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
    // The scalar path is the reference and always returns a new array.
    return GroupwiseQuantization.dequantize(block, groupSize, perTensor, bounds, scaleDtype, outputDtype);
  }
}
