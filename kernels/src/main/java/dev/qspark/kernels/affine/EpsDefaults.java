package dev.qspark.kernels.affine;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.TorchaoRelease;

/**
 * The {@code eps} each config clamps its scales with, per torchao release.
 *
 * <p>{@code choose_qparams_affine} clamps the scale from below with {@code eps}; configs either pass
 * a fixed value or leave it to the primitive's default, which changed in torchao 0.18.
 */
public final class EpsDefaults {

  /** {@code torch.finfo(torch.float32).eps}, the value several configs pass explicitly. */
  public static final float FLOAT32_EPS = FloatDtype.FLOAT32.eps();

  /** The eps of Int4WeightOnlyConfig's integer zero-point paths (plain_int32): {@code 1e-6}. */
  public static final float INT4_EPS = 1e-6f;

  private EpsDefaults() {}

  /**
   * Returns the eps {@code choose_qparams_affine} uses when the caller passes none:
   * {@code finfo(input dtype).eps} up to torchao 0.17 and {@code finfo(input dtype).smallest_normal}
   * from 0.18 on. IntxWeightOnlyConfig (both versions) relies on this default.
   */
  public static float chooseQParamsDefault(FloatDtype inputDtype, TorchaoRelease release) {
    return release.isAtLeast(TorchaoRelease.V0_18) ? inputDtype.smallestNormal() : inputDtype.eps();
  }

  /**
   * Returns Int8Tensor's eps (Int8WeightOnlyConfig version 2): the input dtype's eps in torchao 0.15
   * (0.0078125 for bfloat16), float32's eps from 0.16 on.
   */
  public static float int8Tensor(FloatDtype inputDtype, TorchaoRelease release) {
    return release.isAtLeast(TorchaoRelease.V0_16) ? FLOAT32_EPS : inputDtype.eps();
  }
}
