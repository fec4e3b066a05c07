package dev.qspark.kernels.config;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;

/** The checks an {@link Int4WeightOnlyConfig} must pass: what torchao rejects and what qspark cannot reproduce. */
final class Int4ConfigRules {

  private static final String CLASS_NAME = Int4WeightOnlyConfig.CLASS_NAME;

  private Int4ConfigRules() {}

  static void validate(
      TorchaoRelease release,
      DeviceArithmetic device,
      int groupSize,
      TensorCoreTiledLayout layout,
      Boolean useHqq,
      ZeroPointDomain zeroPointDomain,
      Boolean preserveZero,
      Int4PackingFormat packingFormat,
      Int4ChooseQParamsAlgorithm algorithm,
      Integer tilePackedNtile,
      int version) {
    boolean hasVersion1Fields = release == TorchaoRelease.V0_15;
    ReleaseFields.requirePresence(CLASS_NAME, release, "layout", layout, hasVersion1Fields);
    ReleaseFields.requirePresence(CLASS_NAME, release, "use_hqq", useHqq, hasVersion1Fields);
    ReleaseFields.requirePresence(CLASS_NAME, release, "zero_point_domain", zeroPointDomain, hasVersion1Fields);
    if (!hasVersion1Fields && preserveZero != null) {
      throw new InvalidConfigException("Invalid " + CLASS_NAME + ": field preserve_zero does not exist in torchao "
          + release + "; it exists in torchao 0.15");
    }
    ReleaseFields.requirePresence(
        CLASS_NAME, release, "int4_tile_packed_ntile", tilePackedNtile, release.isAtLeast(TorchaoRelease.V0_17));

    ReleaseFields.requireVersion(CLASS_NAME, release, version, TorchaoRelease.V0_15);
    if (groupSize <= 0) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "group_size", Integer.toString(groupSize),
          "expected a positive group size such as 32, 64, 128 or 256");
    }
    if (version == 1) {
      validateVersion1(device, useHqq, zeroPointDomain, preserveZero);
    } else {
      validateVersion2(release, device, packingFormat, algorithm, tilePackedNtile);
    }
  }

  private static void validateVersion1(
      DeviceArithmetic device, Boolean useHqq, ZeroPointDomain zeroPointDomain, Boolean preserveZero) {
    if (useHqq) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "use_hqq", "True",
          "qspark does not reproduce HQQ bit-exactly; expected False");
    }
    if (zeroPointDomain == ZeroPointDomain.INT) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "zero_point_domain", "ZeroPointDomain.INT",
          "TensorCoreTiledLayout supports only the FLOAT domain (torchao asserts); expected ZeroPointDomain.NONE "
              + "or ZeroPointDomain.FLOAT");
    }
    if (Boolean.TRUE.equals(preserveZero)) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "preserve_zero", "True",
          "qspark reproduces TensorCoreTiledLayout's tinygemm qparams, which do not preserve zero; expected None or False");
    }
    if (device != DeviceArithmetic.CUDA) {
      throw new InvalidConfigException("Invalid " + CLASS_NAME + ": version=1 with TensorCoreTiledLayout runs only on "
          + "cuda (torchao needs Int4CPULayout or Int4XPULayout elsewhere); got device " + device);
    }
  }

  private static void validateVersion2(
      TorchaoRelease release,
      DeviceArithmetic device,
      Int4PackingFormat packingFormat,
      Int4ChooseQParamsAlgorithm algorithm,
      Integer tilePackedNtile) {
    String format = "\"" + packingFormat.value() + "\"";
    String supportedFormats = "expected \"plain\", \"plain_int32\" or \"tile_packed_to_4d\"";
    if (!packingFormat.existsIn(release)) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "int4_packing_format", format,
          "torchao " + release + " has no such format; " + supportedFormats);
    }
    switch (packingFormat) {
      case PRESHUFFLED:
      case MARLIN_SPARSE:
        throw InvalidConfigException.unsupported(CLASS_NAME, "int4_packing_format", format,
            "it is an opaque GPU kernel layout that qspark does not produce; " + supportedFormats);
      case OPAQUE:
        throw InvalidConfigException.unsupported(CLASS_NAME, "int4_packing_format", format,
            "it is an opaque CPU kernel layout that qspark does not produce; " + supportedFormats);
      case PLAIN_INT32:
        requireDevice(device, DeviceArithmetic.XPU, format, "torchao raises NotImplementedError on other devices");
        break;
      case TILE_PACKED_TO_4D:
        requireDevice(device, DeviceArithmetic.CUDA, format, "torchao needs CUDA compute capability 8 or newer");
        break;
      default:
        break;
    }
    if (algorithm == Int4ChooseQParamsAlgorithm.HQQ) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "int4_choose_qparams_algorithm", "\"hqq\"",
          "qspark does not reproduce HQQ bit-exactly; expected \"tinygemm\"");
    }
    if (tilePackedNtile != null && tilePackedNtile != 8 && tilePackedNtile != 16) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "int4_tile_packed_ntile", tilePackedNtile.toString(),
          "expected 8 or 16");
    }
  }

  private static void requireDevice(DeviceArithmetic device, DeviceArithmetic required, String format, String reason) {
    if (device != required) {
      throw new InvalidConfigException("Invalid " + CLASS_NAME + ": int4_packing_format=" + format + " runs only on "
          + required + " (" + reason + "); got device " + device);
    }
  }
}
