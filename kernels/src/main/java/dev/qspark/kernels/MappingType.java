package dev.qspark.kernels;

/** How torchao maps a group's float range to the integer range, as {@code torchao.quantization.MappingType}. */
public enum MappingType {
  /** Scale from the largest magnitude; zero point at the middle of the range (0 for signed types). */
  SYMMETRIC,
  /** Scale from the larger of {@code min / quant_min} and {@code max / quant_max}, so nothing is clipped. */
  SYMMETRIC_NO_CLIPPING_ERR,
  /** Scale from {@code max - min}, with a zero point. */
  ASYMMETRIC
}
