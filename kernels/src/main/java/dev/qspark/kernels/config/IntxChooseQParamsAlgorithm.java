package dev.qspark.kernels.config;

/** The algorithm that chooses IntxWeightOnlyConfig's scale and zero point, as torchao's {@code IntxChooseQParamsAlgorithm}. */
public enum IntxChooseQParamsAlgorithm implements TorchaoStringEnum {
  /** choose_qparams_affine with the config's mapping type. */
  AFFINE("affine"),
  /** Symmetric scale found by iterative least squares, zero point 0. */
  HQQ_SCALE_ONLY("hqq_scale_only");

  private final String value;

  IntxChooseQParamsAlgorithm(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }
}
