package dev.qspark.kernels.affine;

/**
 * The quantization parameters of one group.
 *
 * @param scale the scale, already cast to the scale dtype
 * @param zeroPoint the integer zero point, held as a float (exact: it lies within the quantization bounds)
 */
public record QParams(float scale, float zeroPoint) {}
