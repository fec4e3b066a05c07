package dev.qspark.kernels.config;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * torchao's {@code Int4WeightOnlyConfig}: asymmetric int4 groups along each row.
 *
 * <p>Fields by release, in declaration order (defaults in brackets):
 * <ul>
 *   <li>0.15: group_size [128], layout [TensorCoreTiledLayout(inner_k_tiles=8)], use_hqq [False],
 *       zero_point_domain [ZeroPointDomain.NONE], set_inductor_config [True], preserve_zero [None],
 *       int4_packing_format ["plain"], int4_choose_qparams_algorithm ["tinygemm"], version [2];
 *   <li>0.16: group_size, set_inductor_config, int4_packing_format, int4_choose_qparams_algorithm, version;
 *   <li>0.17 and 0.18: as 0.16 plus int4_tile_packed_ntile [8] before version.
 * </ul>
 * Fields a release does not declare are null. NOTE: the 0.15 declaration could not be read, so its
 * order is inferred. An earlier torchao lists the version 1 fields first, then the packing format and
 * version, and 0.16 lists the version 2 fields in the order used here.
 *
 * <p>Config id tokens: {@code g<n>} group_size, {@code tiles<n>} inner_k_tiles, {@code use-hqq},
 * {@code zpd-<domain>}, {@code inductor-off}, {@code preserve-zero-<true|false>}, the packing format
 * with '-' for '_' (e.g. {@code plain-int32}), {@code hqq}, {@code ntile<n>}, then the device when it
 * is not the format's default.
 *
 * @param layout the version 1 layout (0.15 only)
 * @param useHqq version 1 HQQ switch (0.15 only)
 * @param zeroPointDomain version 1 zero point domain (0.15 only)
 * @param preserveZero version 1 preserve_zero, null for None (0.15 only)
 * @param tilePackedNtile N padding of tile_packed_to_4d, 8 or 16 (0.17 and later)
 */
public record Int4WeightOnlyConfig(
    TorchaoRelease release,
    DeviceArithmetic deviceArithmetic,
    int groupSize,
    TensorCoreTiledLayout layout,
    Boolean useHqq,
    ZeroPointDomain zeroPointDomain,
    boolean setInductorConfig,
    Boolean preserveZero,
    Int4PackingFormat packingFormat,
    Int4ChooseQParamsAlgorithm chooseQParamsAlgorithm,
    Integer tilePackedNtile,
    int version)
    implements QuantConfig {

  public static final String CLASS_NAME = "Int4WeightOnlyConfig";
  public static final int DEFAULT_GROUP_SIZE = 128;
  public static final int DEFAULT_TILE_PACKED_NTILE = 8;

  private static final List<String> FIELDS_0_15 = List.of(
      "group_size", "layout", "use_hqq", "zero_point_domain", "set_inductor_config", "preserve_zero",
      "int4_packing_format", "int4_choose_qparams_algorithm", "version");
  private static final List<String> FIELDS_0_16 = List.of(
      "group_size", "set_inductor_config", "int4_packing_format", "int4_choose_qparams_algorithm", "version");
  private static final List<String> FIELDS_0_17 = List.of(
      "group_size", "set_inductor_config", "int4_packing_format", "int4_choose_qparams_algorithm",
      "int4_tile_packed_ntile", "version");

  public Int4WeightOnlyConfig {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(deviceArithmetic, "deviceArithmetic");
    Objects.requireNonNull(packingFormat, "packingFormat");
    Objects.requireNonNull(chooseQParamsAlgorithm, "chooseQParamsAlgorithm");
    Int4ConfigRules.validate(
        release, deviceArithmetic, groupSize, layout, useHqq, zeroPointDomain, preserveZero, packingFormat,
        chooseQParamsAlgorithm, tilePackedNtile, version);
  }

  /** Returns the fields {@code release} declares, in declaration order. */
  public static List<String> fields(TorchaoRelease release) {
    if (release == TorchaoRelease.V0_15) {
      return FIELDS_0_15;
    }
    return release == TorchaoRelease.V0_16 ? FIELDS_0_16 : FIELDS_0_17;
  }

  /** Returns the device torchao runs a format on: XPU for plain_int32, CUDA for every other format and version 1. */
  public static DeviceArithmetic defaultDevice(int version, Int4PackingFormat packingFormat) {
    return version == 2 && packingFormat == Int4PackingFormat.PLAIN_INT32 ? DeviceArithmetic.XPU : DeviceArithmetic.CUDA;
  }

  /**
   * Returns the version 1 fields (torchao 0.15's layout, use_hqq, zero_point_domain, preserve_zero)
   * that this version 2 config sets away from their defaults. torchao 0.15 accepts them with version 2,
   * and its version 2 path does not read them (read from its source, not run), so such a config
   * stores the bytes it would without them. Empty for version 1 and for releases without those fields.
   */
  public List<String> unreadVersion1Fields() {
    List<String> fields = new ArrayList<>();
    if (version != 2 || layout == null) {
      return fields;
    }
    if (!layout.equals(TensorCoreTiledLayout.DEFAULT)) {
      fields.add("layout");
    }
    if (useHqq) {
      fields.add("use_hqq");
    }
    if (zeroPointDomain != ZeroPointDomain.NONE) {
      fields.add("zero_point_domain");
    }
    if (preserveZero != null) {
      fields.add("preserve_zero");
    }
    return fields;
  }

  static Int4WeightOnlyConfig fromArguments(ConfigArguments arguments, TorchaoRelease release, DeviceArithmetic device) {
    boolean hasVersion1Fields = release == TorchaoRelease.V0_15;
    int groupSize = arguments.integer("group_size", DEFAULT_GROUP_SIZE);
    TensorCoreTiledLayout layout = hasVersion1Fields ? readLayout(arguments) : null;
    Boolean useHqq = hasVersion1Fields ? arguments.bool("use_hqq", false) : null;
    ZeroPointDomain zeroPointDomain = hasVersion1Fields
        ? arguments.plainEnum("zero_point_domain", ZeroPointDomain.class, "ZeroPointDomain", ZeroPointDomain.NONE)
        : null;
    boolean setInductorConfig = arguments.bool("set_inductor_config", true);
    Boolean preserveZero = hasVersion1Fields ? arguments.boolOrNone("preserve_zero", null) : null;
    Int4PackingFormat packingFormat = arguments.stringEnum(
        "int4_packing_format", Int4PackingFormat.class, "Int4PackingFormat", Int4PackingFormat.PLAIN);
    Int4ChooseQParamsAlgorithm algorithm = arguments.stringEnum(
        "int4_choose_qparams_algorithm", Int4ChooseQParamsAlgorithm.class, "Int4ChooseQParamsAlgorithm",
        Int4ChooseQParamsAlgorithm.TINYGEMM);
    Integer ntile = release.isAtLeast(TorchaoRelease.V0_17)
        ? (Integer) arguments.integer("int4_tile_packed_ntile", DEFAULT_TILE_PACKED_NTILE)
        : null;
    int version = arguments.integer("version", 2);
    DeviceArithmetic effectiveDevice = device != null ? device : defaultDevice(version, packingFormat);
    return new Int4WeightOnlyConfig(release, effectiveDevice, groupSize, layout, useHqq, zeroPointDomain,
        setInductorConfig, preserveZero, packingFormat, algorithm, ntile, version);
  }

  private static TensorCoreTiledLayout readLayout(ConfigArguments arguments) {
    String expectation = "expected TensorCoreTiledLayout(inner_k_tiles=8), 4 or 2: qspark reproduces the tinygemm "
        + "layout only (Int4CPULayout, Int4XPULayout and MarlinSparseLayout are not produced)";
    ConfigExpression.Call call = arguments.call("layout", expectation);
    if (call == null) {
      return TensorCoreTiledLayout.DEFAULT;
    }
    if (!call.simpleName().equals("TensorCoreTiledLayout")) {
      throw arguments.unsupported("layout", call, expectation);
    }
    return new TensorCoreTiledLayout(arguments.callInteger("layout", call, "inner_k_tiles", 8));
  }

  @Override
  public String className() {
    return CLASS_NAME;
  }

  @Override
  public String canonical() {
    CanonicalForm form = new CanonicalForm(CLASS_NAME).field("group_size", groupSize);
    if (release == TorchaoRelease.V0_15) {
      form.field("layout", layout.torchaoSyntax())
          .field("use_hqq", useHqq)
          .field("zero_point_domain", "ZeroPointDomain", zeroPointDomain)
          .field("set_inductor_config", setInductorConfig)
          .field("preserve_zero", preserveZero);
    } else {
      form.field("set_inductor_config", setInductorConfig);
    }
    form.field("int4_packing_format", packingFormat)
        .field("int4_choose_qparams_algorithm", chooseQParamsAlgorithm);
    if (tilePackedNtile != null) {
      form.field("int4_tile_packed_ntile", tilePackedNtile);
    }
    return form.field("version", version).toString();
  }

  @Override
  public String configId() {
    ConfigIdBuilder id = new ConfigIdBuilder("int4", version)
        .addUnlessDefault(groupSize == DEFAULT_GROUP_SIZE, "g" + groupSize);
    if (release == TorchaoRelease.V0_15) {
      id.addUnlessDefault(layout.equals(TensorCoreTiledLayout.DEFAULT), "tiles" + layout.innerKTiles())
          .addUnlessDefault(!useHqq, "use-hqq")
          .addUnlessDefault(zeroPointDomain == ZeroPointDomain.NONE, "zpd-" + zeroPointDomain.name())
          .addUnlessDefault(setInductorConfig, "inductor-off")
          .addUnlessDefault(preserveZero == null, "preserve-zero-" + preserveZero);
    } else {
      id.addUnlessDefault(setInductorConfig, "inductor-off");
    }
    id.addUnlessDefault(packingFormat == Int4PackingFormat.PLAIN, packingFormat.value())
        .addUnlessDefault(chooseQParamsAlgorithm == Int4ChooseQParamsAlgorithm.TINYGEMM, chooseQParamsAlgorithm.value());
    if (tilePackedNtile != null) {
      id.addUnlessDefault(tilePackedNtile == DEFAULT_TILE_PACKED_NTILE, "ntile" + tilePackedNtile);
    }
    return id.build(deviceArithmetic, defaultDevice(version, packingFormat));
  }

  @Override
  public String toString() {
    return canonical() + " [torchao " + release + ", " + deviceArithmetic + "]";
  }
}
