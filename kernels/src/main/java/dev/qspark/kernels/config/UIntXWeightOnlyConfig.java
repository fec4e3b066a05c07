package dev.qspark.kernels.config;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.util.List;
import java.util.Objects;

/**
 * torchao's {@code UIntXWeightOnlyConfig}: asymmetric unsigned 1- to 7-bit groups packed with
 * UintxLayout. It exists in torchao 0.15 (torchao.quantization) and 0.16 (torchao.prototype.quantization).
 *
 * <p>Fields in declaration order (defaults in brackets), the same in both releases: dtype (required),
 * group_size [64], pack_dim [-1], use_hqq [False], set_inductor_config [True]. The config has no
 * version field, so the canonical form has none either (torchao would reject it); {@link #version()}
 * returns 1 because it runs torchao's version 1 (AffineQuantizedTensor) path.
 *
 * <p>Config id: {@code uintx-v1-uint<b>}, then {@code g<n>} group_size, {@code inductor-off}, and the
 * device when it is not cpu.
 *
 * @param bits the bit width of {@code dtype=torch.uint<bits>}
 */
public record UIntXWeightOnlyConfig(
    TorchaoRelease release,
    DeviceArithmetic deviceArithmetic,
    int bits,
    int groupSize,
    int packDim,
    boolean useHqq,
    boolean setInductorConfig)
    implements QuantConfig {

  public static final String CLASS_NAME = "UIntXWeightOnlyConfig";
  public static final DeviceArithmetic DEFAULT_DEVICE = DeviceArithmetic.CPU;
  public static final TorchaoRelease LAST_RELEASE = TorchaoRelease.V0_16;
  public static final int DEFAULT_GROUP_SIZE = 64;

  private static final List<String> FIELDS = List.of("dtype", "group_size", "pack_dim", "use_hqq", "set_inductor_config");

  public UIntXWeightOnlyConfig {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(deviceArithmetic, "deviceArithmetic");
    validate(release, bits, groupSize, packDim, useHqq);
  }

  private static void validate(TorchaoRelease release, int bits, int groupSize, int packDim, boolean useHqq) {
    requireExists(release);
    if (bits == 8) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "dtype", "torch.uint8",
          "UintxLayout has no uint8 packing (torchao asserts); expected torch.uint1 to torch.uint7");
    }
    if (bits < 1 || bits > 7) {
      throw InvalidConfigException.unsupported(
          CLASS_NAME, "dtype", "torch.uint" + bits, "expected torch.uint1 to torch.uint7");
    }
    if (groupSize <= 0) {
      throw InvalidConfigException.unsupported(
          CLASS_NAME, "group_size", Integer.toString(groupSize), "expected a positive group size");
    }
    if (packDim != -1) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "pack_dim", Integer.toString(packDim),
          "qspark packs along the last dimension only; expected -1");
    }
    if (useHqq) {
      throw InvalidConfigException.unsupported(
          CLASS_NAME, "use_hqq", "True", "qspark does not reproduce HQQ bit-exactly; expected False");
    }
  }

  /** Rejects releases after 0.16, which have no UIntXWeightOnlyConfig. */
  static void requireExists(TorchaoRelease release) {
    if (!release.isAtMost(LAST_RELEASE)) {
      throw new InvalidConfigException("Invalid " + CLASS_NAME + ": it does not exist in torchao " + release
          + ": its last release is " + LAST_RELEASE + "; use release " + LAST_RELEASE
          + " or IntxWeightOnlyConfig");
    }
  }

  /** Returns the fields torchao 0.15 and 0.16 declare, in declaration order. */
  public static List<String> fields(TorchaoRelease release) {
    return FIELDS;
  }

  static UIntXWeightOnlyConfig fromArguments(ConfigArguments arguments, TorchaoRelease release, DeviceArithmetic device) {
    requireExists(release);
    if (!arguments.has("dtype")) {
      throw new InvalidConfigException("Invalid " + CLASS_NAME + ": field dtype is missing; expected e.g. dtype=torch.uint4");
    }
    int bits = arguments.integerDtypeBits("dtype", "uint", 0, "expected torch.uint1 to torch.uint7");
    int groupSize = arguments.integer("group_size", DEFAULT_GROUP_SIZE);
    int packDim = arguments.integer("pack_dim", -1);
    boolean useHqq = arguments.bool("use_hqq", false);
    boolean setInductorConfig = arguments.bool("set_inductor_config", true);
    return new UIntXWeightOnlyConfig(release, device != null ? device : DEFAULT_DEVICE, bits, groupSize, packDim,
        useHqq, setInductorConfig);
  }

  @Override
  public String className() {
    return CLASS_NAME;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public String canonical() {
    return new CanonicalForm(CLASS_NAME)
        .field("dtype", "torch.uint" + bits)
        .field("group_size", groupSize)
        .field("pack_dim", packDim)
        .field("use_hqq", useHqq)
        .field("set_inductor_config", setInductorConfig)
        .toString();
  }

  @Override
  public String configId() {
    return new ConfigIdBuilder("uintx", 1)
        .addUnlessDefault(false, "uint" + bits)
        .addUnlessDefault(groupSize == DEFAULT_GROUP_SIZE, "g" + groupSize)
        .addUnlessDefault(setInductorConfig, "inductor-off")
        .build(deviceArithmetic, DEFAULT_DEVICE);
  }

  @Override
  public String toString() {
    return canonical() + " [torchao " + release + ", " + deviceArithmetic + "]";
  }
}
