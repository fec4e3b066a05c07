package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.EpsDefaults;
import dev.qspark.kernels.affine.QuantBounds;

/**
 * Int8WeightOnlyConfig(version=2): torchao's {@code Int8Tensor.from_hp}, SYMMETRIC int8 in {@code [-128, 127]}.
 *
 * <p>What changes per release:
 * <ul>
 *   <li>eps: the input dtype's eps in 0.15 (0.0078125 for bfloat16), float32's eps from 0.16;
 *   <li>granularity: PerRow and PerTensor; PerGroup from 0.17;
 *   <li>zero point: stored (int8, all 0) from 0.17, absent before;
 *   <li>scale dtype: the input dtype up to 0.17; from 0.18 float32, computed in the input dtype and
 *       then cast, so a bfloat16 weight is multiplied by an unrounded float32 reciprocal.
 * </ul>
 * torchao keeps the scale as {@code [N, 1]} (PerRow), {@code [1, 1]} (PerTensor) or {@code [N, K/g]}.
 * float16 weights are rejected at 0.16 and 0.17, where float32's eps as a float16 scale has an
 * infinite reciprocal.
 */
public final class Int8WeightOnlyV2Quantizer extends AffineWeightQuantizer {

  private static final long serialVersionUID = 1L;

  private final Granularity granularity;

  /**
   * @param granularity {@code PerRow()}, {@code PerTensor()} or, from 0.17, {@code PerGroup(n)}
   * @param release the torchao release whose eps, scale dtype and zero-point rules apply
   * @param device whose division by a Python number to reproduce (torchao's default device is the CPU)
   * @throws IllegalArgumentException for another granularity or PerGroup before 0.17
   */
  public Int8WeightOnlyV2Quantizer(Granularity granularity, TorchaoRelease release, DeviceArithmetic device) {
    this(granularity, release, device, KernelPath.selected());
  }

  /** Creates the format on the given kernel path; every path gives the same bytes. */
  public Int8WeightOnlyV2Quantizer(
      Granularity granularity,
      TorchaoRelease release,
      DeviceArithmetic device,
      KernelPath kernelPath) {
    super(release, device, new ChooseQParams(MappingType.SYMMETRIC, QuantBounds.signed(8), true, device), kernelPath);
    this.granularity = requireGranularity(granularity, release);
  }

  public Granularity granularity() {
    return granularity;
  }

  @Override
  String configName() {
    return "Int8WeightOnlyConfig(version=2)";
  }

  @Override
  int groupSize(int inFeatures) {
    return (int) granularity.groupSize(inFeatures);
  }

  @Override
  float eps(FloatDtype inputDtype) {
    return EpsDefaults.int8Tensor(inputDtype, release());
  }

  @Override
  FloatDtype scaleDtype(FloatDtype inputDtype) {
    return release().isAtLeast(TorchaoRelease.V0_18) ? FloatDtype.FLOAT32 : inputDtype;
  }

  @Override
  boolean storesZeroPoint() {
    return release().isAtLeast(TorchaoRelease.V0_17);
  }

  @Override
  boolean isPerTensor() {
    return granularity instanceof Granularity.PerTensor;
  }

  @Override
  public boolean needsTensorRange() {
    return isPerTensor();
  }

  /**
   * {@inheritDoc}
   *
   * <p>NOTE: for PerTensor torchao's block size is {@code [out_features, in_features]}; this method
   * is not given out_features and returns {@code -1} in its place.
   */
  @Override
  public StorageInfo storageInfo(FloatDtype dtype, int inFeatures) {
    int[] blockSize = isPerTensor() ? new int[] {-1, inFeatures} : new int[] {1, groupSize(inFeatures)};
    return new StorageInfo("int8", scaleDtype(dtype).torchName(), storesZeroPoint() ? "int8" : null, blockSize);
  }

  private static Granularity requireGranularity(Granularity granularity, TorchaoRelease release) {
    if (granularity instanceof Granularity.PerRow || granularity instanceof Granularity.PerTensor) {
      return granularity;
    }
    if (granularity instanceof Granularity.PerGroup) {
      if (!release.isAtLeast(TorchaoRelease.V0_17)) {
        throw new IllegalArgumentException("Unsupported granularity " + granularity.torchaoSyntax()
            + " for Int8WeightOnlyConfig(version=2) in torchao " + release.label()
            + ": PerGroup is supported from 0.17; use PerRow() or PerTensor()");
      }
      return granularity;
    }
    throw new IllegalArgumentException("Unsupported granularity "
        + (granularity == null ? "null" : granularity.torchaoSyntax())
        + " for Int8WeightOnlyConfig(version=2): expected PerRow(), PerTensor() or PerGroup(n)");
  }
}
