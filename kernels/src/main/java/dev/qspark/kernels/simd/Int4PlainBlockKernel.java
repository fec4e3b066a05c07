package dev.qspark.kernels.simd;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;

/**
 * The block loop of Int4Tensor ({@code int4_packing_format="plain"}): reject non-finite values,
 * quantize each group with fbgemm's float32 formulas and pack two values per byte, even column in
 * the low nibble; and the way back, {@code round_dtype(q * scale + zero)} per value.
 *
 * <p>{@link dev.qspark.kernels.format.ScalarInt4PlainBlockKernel} is the reference; every
 * implementation returns the same bits for the same arguments.
 */
public interface Int4PlainBlockKernel {

  /**
   * Quantizes and packs a block whose row length the group size divides.
   *
   * @param qvalues receives the signed values -8..7, {@code [rows, inFeatures]}
   * @param qdata receives the packed bytes, {@code [rows, inFeatures / 2]}
   * @param scale receives the scales rounded to the weight's dtype, {@code [rows, groups]}
   * @param zero receives the zeros rounded to the weight's dtype, {@code [rows, groups]}
   * @throws NonFiniteValuesException when the block holds NaN or an infinity
   */
  void quantize(
      WeightBlock block,
      int groupSize,
      DeviceArithmetic device,
      byte[] qvalues,
      byte[] qdata,
      float[] scale,
      float[] zero);

  /**
   * Dequantizes a block from its packed {@code qdata}, scale and zero, each value as
   * {@code dtype.round(q * scale + zero)} with a float32 product and a float32 sum, not a fused
   * multiply-add. The caller has checked the block's array sizes.
   *
   * @return {@code [rows, inFeatures]} values of {@code dtype}
   */
  float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype);

  /**
   * Dequantizes as {@link #dequantize(QuantizedBlock, int, FloatDtype)} does, into {@code out} where
   * the kernel supports it, and returns the array it wrote.
   *
   * @param out an array of exactly {@code rows * inFeatures} values, or null
   */
  default float[] dequantize(QuantizedBlock block, int groupSize, FloatDtype dtype, float[] out) {
    return dequantize(block, groupSize, dtype);
  }
}
