package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.EpsDefaults;
import dev.qspark.kernels.affine.QuantBounds;

/**
 * Int8WeightOnlyConfig(version=1): an AffineQuantizedTensor with PlainLayout, which exists up to
 * torchao 0.17.
 *
 * <p>SYMMETRIC int8 in {@code [-128, 127]} with eps = float32's eps for every input dtype; qdata int8
 * {@code [N, K]}, scale in the weight's dtype, {@code [N]} per row or {@code [N, K/g]} grouped, and
 * an int64 zero point that is always 0. float16 weights are rejected: a scale clamped at float32's
 * eps has an infinite float16 reciprocal.
 */
public final class Int8WeightOnlyV1Quantizer extends AffineWeightQuantizer {

  private static final long serialVersionUID = 1L;

  private final Integer groupSize;

  /**
   * @param groupSize the config's {@code group_size}, or null for one scale per row
   * @param release 0.15 to 0.17; 0.18 removed version 1
   * @param device whose division by a Python number to reproduce (torchao's default device is the CPU)
   * @throws IllegalArgumentException for release 0.18 or a group size below 1
   */
  public Int8WeightOnlyV1Quantizer(Integer groupSize, TorchaoRelease release, DeviceArithmetic device) {
    this(groupSize, release, device, KernelPath.selected());
  }

  /** Creates the format on the given kernel path; every path gives the same bytes. */
  public Int8WeightOnlyV1Quantizer(
      Integer groupSize,
      TorchaoRelease release,
      DeviceArithmetic device,
      KernelPath kernelPath) {
    super(release, device, new ChooseQParams(MappingType.SYMMETRIC, QuantBounds.signed(8), true, device), kernelPath);
    if (release.isAtLeast(TorchaoRelease.V0_18)) {
      throw new IllegalArgumentException("Unsupported torchao release " + release.label()
          + " for Int8WeightOnlyConfig(version=1): version 1 was removed in 0.18; use version=2");
    }
    if (groupSize != null && groupSize < 1) {
      throw new IllegalArgumentException(
          "Invalid group_size " + groupSize + " for Int8WeightOnlyConfig(version=1): expected a positive size or None");
    }
    this.groupSize = groupSize;
  }

  /** Returns the configured group size, or null for one scale per row. */
  public Integer configuredGroupSize() {
    return groupSize;
  }

  @Override
  String configName() {
    return "Int8WeightOnlyConfig(version=1)";
  }

  @Override
  int groupSize(int inFeatures) {
    return groupSize == null ? inFeatures : groupSize;
  }

  @Override
  float eps(FloatDtype inputDtype) {
    return EpsDefaults.FLOAT32_EPS;
  }

  @Override
  FloatDtype scaleDtype(FloatDtype inputDtype) {
    return inputDtype;
  }

  @Override
  public StorageInfo storageInfo(FloatDtype dtype, int inFeatures) {
    return new StorageInfo("int8", dtype.torchName(), "int64", new int[] {1, groupSize(inFeatures)});
  }
}
