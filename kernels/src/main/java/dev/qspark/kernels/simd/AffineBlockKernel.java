package dev.qspark.kernels.simd;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.GroupwiseQuantization;
import dev.qspark.kernels.affine.QuantBounds;

/**
 * The block loop of the integer zero-point formats (Intx, Int8, UIntX, plain_int32): reject
 * non-finite values, choose each group's qparams and quantize its values; and the way back,
 * torchao's {@code dequantize_affine}.
 *
 * <p>{@link dev.qspark.kernels.affine.ScalarAffineBlockKernel} is the reference; every
 * implementation returns the same bits for the same arguments.
 */
public interface AffineBlockKernel {

  /**
   * Quantizes a block group by group, or with one pair of qparams when {@code tensorRange} is set.
   *
   * @param groupSize elements per group; must divide the row length
   * @param eps the scale's lower clamp
   * @param scaleDtype the dtype the scale is stored in
   * @param tensorRange the whole weight's finite range for per-tensor granularity, else null
   * @throws NonFiniteValuesException when the block holds NaN or an infinity
   */
  GroupwiseQuantization.Result quantize(
      WeightBlock block,
      int groupSize,
      ChooseQParams chooser,
      float eps,
      FloatDtype scaleDtype,
      TensorRange tensorRange);

  /**
   * Dequantizes a block's unpacked {@code qvalues} as {@link GroupwiseQuantization#dequantize} does.
   *
   * @param groupSize elements per group; ignored when {@code perTensor} is set
   * @param perTensor whether the block stores one scale and zero point for all of its elements
   * @param scaleDtype the dtype the scale is stored in
   * @param outputDtype the weight's dtype, which the subtraction and the result are rounded to
   * @param out the array to write, of exactly the block's length, where the kernel supports it; or null
   * @return {@code out}, written, or a new array
   */
  float[] dequantize(
      QuantizedBlock block,
      int groupSize,
      boolean perTensor,
      QuantBounds bounds,
      FloatDtype scaleDtype,
      FloatDtype outputDtype,
      float[] out);
}
