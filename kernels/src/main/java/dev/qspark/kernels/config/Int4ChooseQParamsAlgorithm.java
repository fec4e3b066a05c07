package dev.qspark.kernels.config;

/** The algorithm that chooses Int4WeightOnlyConfig version 2's scale and zero point, as torchao's {@code Int4ChooseQParamsAlgorithm}. */
public enum Int4ChooseQParamsAlgorithm implements TorchaoStringEnum {
  /** Min-max asymmetric scale with a floating point zero point. */
  TINYGEMM("tinygemm"),
  /** Half-quadratic quantization: an iterative optimisation, only with tile_packed_to_4d. */
  HQQ("hqq");

  private final String value;

  Int4ChooseQParamsAlgorithm(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }
}
