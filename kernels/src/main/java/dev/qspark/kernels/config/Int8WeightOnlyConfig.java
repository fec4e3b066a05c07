package dev.qspark.kernels.config;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.TorchaoRelease;
import java.util.List;
import java.util.Objects;

/**
 * torchao's {@code Int8WeightOnlyConfig}: symmetric int8 per row, per group or per tensor.
 *
 * <p>Fields by release, in declaration order (defaults in brackets): group_size [None] (version 1),
 * granularity [PerRow()] (version 2), set_inductor_config [True], reduce_range [False] (0.18 only),
 * version [1 up to 0.17, 2 from 0.18]. NOTE: the position of reduce_range in 0.18 is a guess (torchao
 * appends new fields before version); the 0.18 declaration could not be read.
 *
 * <p>Config id tokens: {@code g<n>} group_size, {@code perrow}, {@code pertensor}, {@code pergroup<n>},
 * {@code peraxis<n>} or {@code granularity-none} for a granularity other than PerRow(),
 * {@code inductor-off}, {@code reduce-range}, then the device when it is not cpu.
 *
 * @param groupSize the version 1 group size, or null for None (one group per row)
 * @param granularity the version 2 granularity, or null for None (allowed with version 1, which ignores it)
 * @param reduceRange version 2 bounds (-64, 63) in place of (-128, 127) (0.18 only)
 */
public record Int8WeightOnlyConfig(
    TorchaoRelease release,
    DeviceArithmetic deviceArithmetic,
    Integer groupSize,
    Granularity granularity,
    boolean setInductorConfig,
    Boolean reduceRange,
    int version)
    implements QuantConfig {

  public static final String CLASS_NAME = "Int8WeightOnlyConfig";
  public static final DeviceArithmetic DEFAULT_DEVICE = DeviceArithmetic.CPU;
  private static final Granularity DEFAULT_GRANULARITY = new Granularity.PerRow();

  private static final List<String> FIELDS_0_15 = List.of("group_size", "granularity", "set_inductor_config", "version");
  private static final List<String> FIELDS_0_18 =
      List.of("group_size", "granularity", "set_inductor_config", "reduce_range", "version");

  public Int8WeightOnlyConfig {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(deviceArithmetic, "deviceArithmetic");
    validate(release, groupSize, granularity, reduceRange, version);
  }

  private static void validate(
      TorchaoRelease release, Integer groupSize, Granularity granularity, Boolean reduceRange, int version) {
    ReleaseFields.requirePresence(CLASS_NAME, release, "reduce_range", reduceRange, release == TorchaoRelease.V0_18);
    ReleaseFields.requireVersion(CLASS_NAME, release, version, TorchaoRelease.V0_17);
    if (groupSize != null && groupSize <= 0) {
      throw InvalidConfigException.unsupported(
          CLASS_NAME, "group_size", groupSize.toString(), "expected None or a positive group size");
    }
    if (version == 1) {
      return;
    }
    boolean hasPerGroup = release.isAtLeast(TorchaoRelease.V0_17);
    String supported = hasPerGroup ? "expected PerRow(), PerTensor() or PerGroup(n)" : "expected PerRow() or PerTensor()";
    if (groupSize != null) {
      String instead = hasPerGroup ? "use granularity=PerGroup(" + groupSize + ")" : "use version=1";
      throw InvalidConfigException.unsupported(CLASS_NAME, "group_size", groupSize.toString(),
          "version 2 asserts group_size is None; " + instead);
    }
    if (granularity == null) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "granularity", "None", "version 2 needs one; " + supported);
    }
    if (granularity instanceof Granularity.PerGroup && !hasPerGroup) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "granularity", granularity.torchaoSyntax(),
          "PerGroup for " + CLASS_NAME + " version 2 is supported from torchao 0.17; " + supported);
    }
    if (granularity instanceof Granularity.PerAxis) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "granularity", granularity.torchaoSyntax(), supported);
    }
  }

  /** Returns the fields {@code release} declares, in declaration order. */
  public static List<String> fields(TorchaoRelease release) {
    return release == TorchaoRelease.V0_18 ? FIELDS_0_18 : FIELDS_0_15;
  }

  /** The version a config gets when it does not name one: 1 up to torchao 0.17, 2 from 0.18. */
  public static int defaultVersion(TorchaoRelease release) {
    return release.isAtLeast(TorchaoRelease.V0_18) ? 2 : 1;
  }

  static Int8WeightOnlyConfig fromArguments(ConfigArguments arguments, TorchaoRelease release, DeviceArithmetic device) {
    Integer groupSize = arguments.integerOrNone("group_size", null);
    Granularity granularity = arguments.granularity("granularity", DEFAULT_GRANULARITY, true);
    boolean setInductorConfig = arguments.bool("set_inductor_config", true);
    Boolean reduceRange = release == TorchaoRelease.V0_18 ? (Boolean) arguments.bool("reduce_range", false) : null;
    int version = arguments.integer("version", defaultVersion(release));
    return new Int8WeightOnlyConfig(release, device != null ? device : DEFAULT_DEVICE, groupSize, granularity,
        setInductorConfig, reduceRange, version);
  }

  @Override
  public String className() {
    return CLASS_NAME;
  }

  @Override
  public String canonical() {
    CanonicalForm form = new CanonicalForm(CLASS_NAME)
        .field("group_size", groupSize)
        .field("granularity", granularity)
        .field("set_inductor_config", setInductorConfig);
    if (reduceRange != null) {
      form.field("reduce_range", reduceRange);
    }
    return form.field("version", version).toString();
  }

  @Override
  public String configId() {
    return new ConfigIdBuilder("int8", version)
        .addUnlessDefault(groupSize == null, "g" + groupSize)
        .addUnlessDefault(DEFAULT_GRANULARITY.equals(granularity), granularityToken(granularity))
        .addUnlessDefault(setInductorConfig, "inductor-off")
        .addUnlessDefault(!Boolean.TRUE.equals(reduceRange), "reduce-range")
        .build(deviceArithmetic, DEFAULT_DEVICE);
  }

  private static String granularityToken(Granularity granularity) {
    if (granularity == null) {
      return "granularity-none";
    }
    if (granularity instanceof Granularity.PerGroup perGroup) {
      return "pergroup" + perGroup.groupSize();
    }
    if (granularity instanceof Granularity.PerAxis perAxis) {
      return "peraxis" + perAxis.axis();
    }
    return granularity instanceof Granularity.PerTensor ? "pertensor" : "perrow";
  }

  @Override
  public String toString() {
    return canonical() + " [torchao " + release + ", " + deviceArithmetic + "]";
  }
}
