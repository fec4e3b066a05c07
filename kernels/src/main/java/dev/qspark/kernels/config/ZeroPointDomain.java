package dev.qspark.kernels.config;

/** Domain of the zero point, as torchao's {@code ZeroPointDomain}; Int4WeightOnlyConfig version 1 only. */
public enum ZeroPointDomain {
  /** In Int4WeightOnlyConfig: use the layout's default domain (FLOAT for TensorCoreTiledLayout). */
  NONE,
  /** Integer zero point: {@code q = round(x / scale) + zero_point}. */
  INT,
  /** Floating point zero point, tinygemm's form: {@code x = (q - mid) * scale + zero_point}. */
  FLOAT
}
