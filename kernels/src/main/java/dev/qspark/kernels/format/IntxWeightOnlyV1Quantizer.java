package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.QuantBounds;

/**
 * IntxWeightOnlyConfig(version=1): torchao's {@code to_affine_quantized_intx} with QDQLayout, which
 * exists up to torchao 0.15.
 *
 * <p>Values are clamped to the bounds of {@code torch.int<bits>} and stored as int8 {@code [N, K]};
 * torchao keeps the scale and int8 zero point as {@code [N, K/g]}, or {@code [N]} per row. Version 1
 * sets {@code preserve_zero} only for SYMMETRIC, so ASYMMETRIC does not widen a group's range to
 * contain 0 and differs from version 2. SYMMETRIC_NO_CLIPPING_ERR is unsupported because torchao's
 * no-preserve-zero path asserts on it.
 */
public final class IntxWeightOnlyV1Quantizer extends IntxWeightOnlyQuantizer {

  private static final long serialVersionUID = 1L;

  /**
   * @param weightBits 1 to 8, for {@code weight_dtype=torch.int<weightBits>}
   * @param granularity {@code PerAxis(0)} (one scale per row) or {@code PerGroup(n)}
   * @param mapping SYMMETRIC or ASYMMETRIC
   * @param scaleDtype the config's {@code scale_dtype}, or null for the weight's dtype
   * @param release 0.15; later releases removed version 1
   * @param device whose division by a Python number to reproduce (torchao's default device is the CPU)
   * @throws IllegalArgumentException for a release after 0.15, SYMMETRIC_NO_CLIPPING_ERR, bits outside 1..8
   *     or another granularity
   */
  public IntxWeightOnlyV1Quantizer(
      int weightBits,
      Granularity granularity,
      MappingType mapping,
      FloatDtype scaleDtype,
      TorchaoRelease release,
      DeviceArithmetic device) {
    this(weightBits, granularity, mapping, scaleDtype, release, device, KernelPath.selected());
  }

  /** Creates the format on the given kernel path; every path gives the same bytes. */
  public IntxWeightOnlyV1Quantizer(
      int weightBits,
      Granularity granularity,
      MappingType mapping,
      FloatDtype scaleDtype,
      TorchaoRelease release,
      DeviceArithmetic device,
      KernelPath kernelPath) {
    super(1, weightBits, granularity, scaleDtype, release, device, chooser(weightBits, mapping, release, device),
        kernelPath);
  }

  private static ChooseQParams chooser(
      int weightBits, MappingType mapping, TorchaoRelease release, DeviceArithmetic device) {
    if (release.isAtLeast(TorchaoRelease.V0_16)) {
      throw new IllegalArgumentException("Unsupported torchao release " + release.label()
          + " for IntxWeightOnlyConfig(version=1): its last release is 0.15; use version=2");
    }
    if (mapping == MappingType.SYMMETRIC_NO_CLIPPING_ERR) {
      throw new IllegalArgumentException("Unsupported mapping type SYMMETRIC_NO_CLIPPING_ERR for"
          + " IntxWeightOnlyConfig(version=1): torchao asserts in _choose_qparams_affine_dont_preserve_zero;"
          + " use SYMMETRIC, ASYMMETRIC or version=2");
    }
    boolean preserveZero = mapping == MappingType.SYMMETRIC;
    return new ChooseQParams(mapping, QuantBounds.signed(weightBits), preserveZero, device);
  }
}
