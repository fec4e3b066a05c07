package dev.qspark.kernels.config;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import java.util.List;
import java.util.Objects;

/**
 * torchao's {@code IntxWeightOnlyConfig}: signed 1- to 8-bit integers per row or per group.
 *
 * <p>Fields by release, in declaration order (defaults in brackets): weight_dtype [torch.int8],
 * granularity [PerAxis(0)], mapping_type [MappingType.SYMMETRIC], scale_dtype [None], layout
 * [QDQLayout()] (0.15 only, used by version 1), intx_packing_format ["unpacked_to_int8"],
 * intx_choose_qparams_algorithm ["affine"], version [2]. NOTE: the position of layout in 0.15 is
 * inferred from earlier torchao sources; the 0.15 declaration itself could not be read.
 *
 * <p>Config id tokens: {@code int<b>} weight_dtype, {@code g<n>} PerGroup, {@code asym} or
 * {@code symnc} (SYMMETRIC_NO_CLIPPING_ERR) mapping_type, {@code scale-<dtype>} scale_dtype,
 * {@code hqq-scale-only}, then the device when it is not cpu.
 *
 * @param weightBits the bit width of {@code weight_dtype=torch.int<bits>}
 * @param scaleDtype the scale dtype, or null for None (the weight's dtype)
 * @param layout the version 1 layout (0.15 only)
 */
public record IntxWeightOnlyConfig(
    TorchaoRelease release,
    DeviceArithmetic deviceArithmetic,
    int weightBits,
    Granularity granularity,
    MappingType mappingType,
    FloatDtype scaleDtype,
    IntxLayout layout,
    IntxPackingFormat packingFormat,
    IntxChooseQParamsAlgorithm chooseQParamsAlgorithm,
    int version)
    implements QuantConfig {

  public static final String CLASS_NAME = "IntxWeightOnlyConfig";
  public static final DeviceArithmetic DEFAULT_DEVICE = DeviceArithmetic.CPU;
  private static final Granularity DEFAULT_GRANULARITY = new Granularity.PerAxis(0);

  private static final List<String> FIELDS_0_15 = List.of(
      "weight_dtype", "granularity", "mapping_type", "scale_dtype", "layout", "intx_packing_format",
      "intx_choose_qparams_algorithm", "version");
  private static final List<String> FIELDS_0_16 = List.of(
      "weight_dtype", "granularity", "mapping_type", "scale_dtype", "intx_packing_format",
      "intx_choose_qparams_algorithm", "version");

  public IntxWeightOnlyConfig {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(deviceArithmetic, "deviceArithmetic");
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(mappingType, "mappingType");
    Objects.requireNonNull(packingFormat, "packingFormat");
    Objects.requireNonNull(chooseQParamsAlgorithm, "chooseQParamsAlgorithm");
    validate(release, weightBits, granularity, mappingType, layout, chooseQParamsAlgorithm, version);
  }

  private static void validate(
      TorchaoRelease release,
      int weightBits,
      Granularity granularity,
      MappingType mappingType,
      IntxLayout layout,
      IntxChooseQParamsAlgorithm algorithm,
      int version) {
    ReleaseFields.requirePresence(CLASS_NAME, release, "layout", layout, release == TorchaoRelease.V0_15);
    ReleaseFields.requireVersion(CLASS_NAME, release, version, TorchaoRelease.V0_15);
    if (weightBits < 1 || weightBits > 8) {
      throw InvalidConfigException.unsupported(
          CLASS_NAME, "weight_dtype", "torch.int" + weightBits, "expected torch.int1 to torch.int8");
    }
    boolean axisZero = granularity instanceof Granularity.PerAxis perAxis && perAxis.axis() == 0;
    if (!axisZero && !(granularity instanceof Granularity.PerGroup)) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "granularity", granularity.torchaoSyntax(),
          "expected PerAxis(0) or PerGroup(n) (torchao asserts)");
    }
    if (version == 1 && mappingType == MappingType.SYMMETRIC_NO_CLIPPING_ERR) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "mapping_type", "MappingType.SYMMETRIC_NO_CLIPPING_ERR",
          "version 1 quantizes it without preserving zero, a path that accepts only ASYMMETRIC (torchao asserts); "
              + "expected MappingType.SYMMETRIC or MappingType.ASYMMETRIC, or version=2");
    }
    if (weightBits == 1 && mappingType == MappingType.SYMMETRIC_NO_CLIPPING_ERR) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "mapping_type", "MappingType.SYMMETRIC_NO_CLIPPING_ERR",
          "it divides by quant_max, which is 0 for torch.int1; expected MappingType.SYMMETRIC or MappingType.ASYMMETRIC");
    }
    if (algorithm == IntxChooseQParamsAlgorithm.HQQ_SCALE_ONLY) {
      throw InvalidConfigException.unsupported(CLASS_NAME, "intx_choose_qparams_algorithm", "\"hqq_scale_only\"",
          "qspark does not reproduce HQQ bit-exactly; expected \"affine\"");
    }
  }

  /** Returns the fields {@code release} declares, in declaration order. */
  public static List<String> fields(TorchaoRelease release) {
    return release == TorchaoRelease.V0_15 ? FIELDS_0_15 : FIELDS_0_16;
  }

  static IntxWeightOnlyConfig fromArguments(ConfigArguments arguments, TorchaoRelease release, DeviceArithmetic device) {
    int weightBits = arguments.integerDtypeBits("weight_dtype", "int", 8, "expected torch.int1 to torch.int8");
    Granularity granularity = arguments.granularity("granularity", DEFAULT_GRANULARITY, false);
    MappingType mappingType = arguments.plainEnum("mapping_type", MappingType.class, "MappingType", MappingType.SYMMETRIC);
    FloatDtype scaleDtype = arguments.floatDtypeOrNone("scale_dtype", null);
    IntxLayout layout = release == TorchaoRelease.V0_15 ? readLayout(arguments) : null;
    IntxPackingFormat packingFormat = arguments.stringEnum(
        "intx_packing_format", IntxPackingFormat.class, "IntxPackingFormat", IntxPackingFormat.UNPACKED_TO_INT8);
    IntxChooseQParamsAlgorithm algorithm = arguments.stringEnum("intx_choose_qparams_algorithm",
        IntxChooseQParamsAlgorithm.class, "IntxChooseQParamsAlgorithm", IntxChooseQParamsAlgorithm.AFFINE);
    int version = arguments.integer("version", 2);
    return new IntxWeightOnlyConfig(release, device != null ? device : DEFAULT_DEVICE, weightBits, granularity,
        mappingType, scaleDtype, layout, packingFormat, algorithm, version);
  }

  private static IntxLayout readLayout(ConfigArguments arguments) {
    String expectation = "expected QDQLayout(): the packed CPU kernel layouts are not produced by qspark";
    ConfigExpression.Call call = arguments.call("layout", expectation);
    if (call == null) {
      return IntxLayout.QDQ;
    }
    if (!call.simpleName().equals(IntxLayout.QDQ.className()) || !call.arguments().isEmpty()) {
      throw arguments.unsupported("layout", call, expectation);
    }
    return IntxLayout.QDQ;
  }

  @Override
  public String className() {
    return CLASS_NAME;
  }

  @Override
  public String canonical() {
    CanonicalForm form = new CanonicalForm(CLASS_NAME)
        .field("weight_dtype", "torch.int" + weightBits)
        .field("granularity", granularity)
        .field("mapping_type", "MappingType", mappingType)
        .dtype("scale_dtype", scaleDtype);
    if (layout != null) {
      form.field("layout", layout.torchaoSyntax());
    }
    return form.field("intx_packing_format", packingFormat)
        .field("intx_choose_qparams_algorithm", chooseQParamsAlgorithm)
        .field("version", version)
        .toString();
  }

  @Override
  public String configId() {
    String mappingToken = mappingType == MappingType.ASYMMETRIC ? "asym" : "symnc";
    String groupToken = granularity instanceof Granularity.PerGroup perGroup ? "g" + perGroup.groupSize() : "";
    return new ConfigIdBuilder("intx", version)
        .addUnlessDefault(weightBits == 8, "int" + weightBits)
        .addUnlessDefault(granularity.equals(DEFAULT_GRANULARITY), groupToken)
        .addUnlessDefault(mappingType == MappingType.SYMMETRIC, mappingToken)
        .addUnlessDefault(scaleDtype == null, "scale-" + (scaleDtype == null ? "" : scaleDtype.torchName()))
        .addUnlessDefault(chooseQParamsAlgorithm == IntxChooseQParamsAlgorithm.AFFINE, chooseQParamsAlgorithm.value())
        .build(deviceArithmetic, DEFAULT_DEVICE);
  }

  @Override
  public String toString() {
    return canonical() + " [torchao " + release + ", " + deviceArithmetic + "]";
  }
}
