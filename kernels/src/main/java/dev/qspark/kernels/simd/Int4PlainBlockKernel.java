package dev.qspark.kernels.simd;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.WeightBlock;

/**
 * The block loop of Int4Tensor ({@code int4_packing_format="plain"}): reject non-finite values,
 * quantize each group with fbgemm's float32 formulas and pack two values per byte, even column in
 * the low nibble.
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
}
