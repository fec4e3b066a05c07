package dev.qspark.kernels.format;

import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.QuantBounds;

/**
 * IntxWeightOnlyConfig(version=2): torchao's {@code IntxUnpackedToInt8Tensor.from_hp} with the
 * AFFINE qparams algorithm.
 *
 * <p>Values of {@code torch.int1} to {@code torch.int8} are stored one per byte as int8
 * {@code [N, K]}; scale {@code [N, K/g]} in the weight's dtype (or {@code scale_dtype}); zero point
 * {@code [N, K/g]} int8. The range always contains 0 ({@code preserve_zero}), and eps is
 * {@code choose_qparams_affine}'s default, so a bfloat16 weight before 0.18 has scales of at least
 * 0.0078125. A set {@code scale_dtype} makes torchao cast the scale and quantize again with it and
 * the zero point computed before the cast.
 */
public final class IntxWeightOnlyV2Quantizer extends IntxWeightOnlyQuantizer {

  private static final long serialVersionUID = 1L;

  /**
   * @param weightBits 1 to 8, for {@code weight_dtype=torch.int<weightBits>}
   * @param granularity {@code PerAxis(0)} (one scale per row) or {@code PerGroup(n)}
   * @param mapping SYMMETRIC, ASYMMETRIC or SYMMETRIC_NO_CLIPPING_ERR
   * @param scaleDtype the config's {@code scale_dtype}, or null for the weight's dtype
   * @param release the torchao release whose eps default applies
   * @param device whose division by a Python number to reproduce (torchao's default device is the CPU)
   * @throws IllegalArgumentException for bits outside 1..8 or another granularity
   */
  public IntxWeightOnlyV2Quantizer(
      int weightBits,
      Granularity granularity,
      MappingType mapping,
      FloatDtype scaleDtype,
      TorchaoRelease release,
      DeviceArithmetic device) {
    this(weightBits, granularity, mapping, scaleDtype, release, device, KernelPath.selected());
  }

  /** Creates the format on the given kernel path; every path gives the same bytes. */
  public IntxWeightOnlyV2Quantizer(
      int weightBits,
      Granularity granularity,
      MappingType mapping,
      FloatDtype scaleDtype,
      TorchaoRelease release,
      DeviceArithmetic device,
      KernelPath kernelPath) {
    super(2, weightBits, granularity, scaleDtype, release, device,
        new ChooseQParams(mapping, QuantBounds.signed(weightBits), true, device), kernelPath);
  }

  @Override
  Applicability checkFormat(long outFeatures, long inFeatures, FloatDtype dtype) {
    if (mapping() == MappingType.SYMMETRIC_NO_CLIPPING_ERR && weightBits() == 1) {
      return Applicability.reject("SYMMETRIC_NO_CLIPPING_ERR divides by quant_max, which is 0 for int1");
    }
    return Applicability.QUANTIZE;
  }
}
