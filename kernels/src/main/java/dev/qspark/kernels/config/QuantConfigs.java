package dev.qspark.kernels.config;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.config.ConfigExpression.Call;
import java.util.Objects;

/** Parses torchao config constructor text into {@link QuantConfig}s. */
public final class QuantConfigs {

  private static final String ACCEPTED_PREFIX_1 = "torchao.quantization.";
  private static final String ACCEPTED_PREFIX_2 = "torchao.prototype.quantization.";

  private QuantConfigs() {}

  /**
   * Checks only the Python call syntax of {@code text}, which is the same under every release.
   *
   * @throws InvalidConfigException when {@code text} is not a call such as {@code Name(arg=value)}
   */
  public static void checkSyntax(String text) {
    ConfigSyntaxParser.parseCall(text);
  }

  /**
   * Parses one config written in torchao's syntax, e.g.
   * {@code IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32))}, with the defaults
   * and rules of {@code release}.
   *
   * @param deviceOrNull the device whose arithmetic to reproduce, or null for the format's default
   * @throws InvalidConfigException for a syntax error (with its position), an unknown class or field,
   *     or a value torchao rejects or qspark cannot reproduce
   */
  public static QuantConfig parse(String text, TorchaoRelease release, DeviceArithmetic deviceOrNull) {
    Objects.requireNonNull(release, "release");
    Call call = ConfigSyntaxParser.parseCall(text);
    String className = simpleClassName(call.name());
    switch (className) {
      case Int4WeightOnlyConfig.CLASS_NAME:
        return Int4WeightOnlyConfig.fromArguments(
            ConfigArguments.bind(call, className, release, Int4WeightOnlyConfig::fields), release, deviceOrNull);
      case IntxWeightOnlyConfig.CLASS_NAME:
        return IntxWeightOnlyConfig.fromArguments(
            ConfigArguments.bind(call, className, release, IntxWeightOnlyConfig::fields), release, deviceOrNull);
      case Int8WeightOnlyConfig.CLASS_NAME:
        return Int8WeightOnlyConfig.fromArguments(
            ConfigArguments.bind(call, className, release, Int8WeightOnlyConfig::fields), release, deviceOrNull);
      case UIntXWeightOnlyConfig.CLASS_NAME:
        UIntXWeightOnlyConfig.requireExists(release);
        return UIntXWeightOnlyConfig.fromArguments(
            ConfigArguments.bind(call, className, release, UIntXWeightOnlyConfig::fields), release, deviceOrNull);
      default:
        throw new InvalidConfigException("Invalid config: unknown config class " + call.name() + "; expected "
            + Int4WeightOnlyConfig.CLASS_NAME + ", " + IntxWeightOnlyConfig.CLASS_NAME + ", "
            + Int8WeightOnlyConfig.CLASS_NAME + " or " + UIntXWeightOnlyConfig.CLASS_NAME);
    }
  }

  /** Strips an optional {@code torchao.quantization.} or {@code torchao.prototype.quantization.} prefix. */
  private static String simpleClassName(String name) {
    if (name.startsWith(ACCEPTED_PREFIX_1)) {
      return name.substring(ACCEPTED_PREFIX_1.length());
    }
    if (name.startsWith(ACCEPTED_PREFIX_2)) {
      return name.substring(ACCEPTED_PREFIX_2.length());
    }
    return name;
  }
}
