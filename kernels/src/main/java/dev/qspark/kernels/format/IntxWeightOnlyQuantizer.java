package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.EpsDefaults;

/**
 * The part both versions of IntxWeightOnlyConfig share: values of {@code torch.int<bits>} stored one per
 * int8 byte, an int8 zero point, the scale in the weight's dtype unless {@code scale_dtype} is set,
 * and {@code choose_qparams_affine}'s default eps. The versions differ in how they choose qparams.
 */
abstract class IntxWeightOnlyQuantizer extends AffineWeightQuantizer {

  private static final long serialVersionUID = 1L;

  private final int version;
  private final int weightBits;
  private final Granularity granularity;
  private final FloatDtype scaleDtype;

  IntxWeightOnlyQuantizer(
      int version,
      int weightBits,
      Granularity granularity,
      FloatDtype scaleDtype,
      TorchaoRelease release,
      DeviceArithmetic device,
      ChooseQParams chooser,
      KernelPath kernelPath) {
    super(release, device, chooser, kernelPath);
    this.version = version;
    this.weightBits = weightBits;
    this.granularity = IntxGranularity.require(granularity, "IntxWeightOnlyConfig(version=" + version + ")");
    this.scaleDtype = scaleDtype;
  }

  public int weightBits() {
    return weightBits;
  }

  public Granularity granularity() {
    return granularity;
  }

  public MappingType mapping() {
    return chooser().mapping();
  }

  /** Returns the configured scale dtype, or null for the weight's dtype. */
  public FloatDtype configuredScaleDtype() {
    return scaleDtype;
  }

  @Override
  String configName() {
    return "IntxWeightOnlyConfig(version=" + version + ")";
  }

  @Override
  int groupSize(int inFeatures) {
    return (int) granularity.groupSize(inFeatures);
  }

  @Override
  float eps(FloatDtype inputDtype) {
    return EpsDefaults.chooseQParamsDefault(inputDtype, release());
  }

  @Override
  FloatDtype scaleDtype(FloatDtype inputDtype) {
    return scaleDtype == null ? inputDtype : scaleDtype;
  }

  @Override
  public StorageInfo storageInfo(FloatDtype dtype, int inFeatures) {
    return new StorageInfo(
        "int" + weightBits, scaleDtype(dtype).torchName(), "int8", new int[] {1, groupSize(inFeatures)});
  }
}
