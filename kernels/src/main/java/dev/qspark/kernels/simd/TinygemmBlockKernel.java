package dev.qspark.kernels.simd;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;

/**
 * The block loop of the tinygemm formats (Int4WeightOnlyConfig version 1 and
 * {@code tile_packed_to_4d}): choose each group's floating point qparams, quantize with a true
 * division by the scale and pack each row padded to a multiple of 1024 values; and the way back,
 * {@code (q - 8) * scale + zero_point} per value. Every step is rounded to the weight's dtype.
 *
 * <p>{@link dev.qspark.kernels.tinygemm.ScalarTinygemmBlockKernel} is the reference; every
 * implementation returns the same bits for the same arguments.
 */
public interface TinygemmBlockKernel {

  /**
   * Computes the qparams, quantizes and packs a block whose in_features is a multiple of
   * {@code groupSize}.
   *
   * @param eps the lower bound of the scale
   * @return qvalues 0..15 {@code [rows, inFeatures]}, qdata {@code [rows, paddedInFeatures / 2]},
   *     scale and zero point {@code [rows, inFeatures / groupSize]}
   * @throws dev.qspark.kernels.NonFiniteValuesException when the block holds NaN or an infinity
   */
  QuantizedBlock quantize(WeightBlock block, int groupSize, float eps, DeviceArithmetic device);

  /**
   * Dequantizes a block from its packed bytes and stored qparams, as torchao's FLOAT zero-point
   * dequantize does. The caller has checked the block's array sizes.
   *
   * @return {@code [rows, inFeatures]} values of {@code dtype}, without padding
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
