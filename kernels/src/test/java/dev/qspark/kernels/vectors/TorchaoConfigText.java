package dev.qspark.kernels.vectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes a vector file's config ({@code config} name plus {@code kwargs}) in torchao's constructor
 * syntax, as a user would, so that the vectors test the config parser as well as the kernels.
 *
 * <p>The reference's kwargs map as follows: {@code weight_dtype} to {@code weight_dtype=torch.intN};
 * {@code mapping} to {@code mapping_type=MappingType.NAME}; {@code group_size} n to
 * {@code PerGroup(n)}, or null to {@code PerAxis(0)} (Intx) and {@code group_size=None} (Int8 version 1);
 * {@code granularity} to {@code PerRow()}, {@code PerTensor()} or {@code PerGroup(n)} (Int8 version 2);
 * {@code bits} to {@code dtype=torch.uintN}; {@code scale_dtype} to {@code scale_dtype=torch.NAME}.
 * {@code profile} and {@code device} are not config fields; the caller passes them to the parser.
 */
final class TorchaoConfigText {

  private TorchaoConfigText() {}

  /**
   * Returns the torchao text of a reference config.
   *
   * @throws IllegalArgumentException for a config name the reference does not produce
   */
  static String of(String config, JsonNode kwargs) {
    return switch (config) {
      case "intx_v1" -> intx(kwargs, 1);
      case "intx_v2" -> intx(kwargs, 2);
      case "int8_v1" -> "Int8WeightOnlyConfig(group_size=" + groupSizeOrNone(kwargs) + ", version=1)";
      case "int8_v2" -> "Int8WeightOnlyConfig(granularity=" + int8Granularity(kwargs) + ", version=2)";
      case "uintx_v1" -> "UIntXWeightOnlyConfig(dtype=torch.uint" + kwargs.path("bits").asInt()
          + ", group_size=" + kwargs.path("group_size").asInt() + ")";
      case "int4_v2_plain" -> int4(kwargs, "plain");
      case "int4_v2_plain_int32" -> int4(kwargs, "plain_int32");
      case "int4_v2_tile_packed_to_4d" -> int4(kwargs, "tile_packed_to_4d");
      case "int4_v1_tinygemm" -> "Int4WeightOnlyConfig(group_size=" + kwargs.path("group_size").asInt()
          + ", layout=TensorCoreTiledLayout(inner_k_tiles=8), version=1)";
      default -> throw new IllegalArgumentException("Unknown vector config '" + config
          + "': expected intx_v1, intx_v2, int8_v1, int8_v2, uintx_v1 or an int4_v1/int4_v2 format");
    };
  }

  private static String intx(JsonNode kwargs, int version) {
    StringBuilder text = new StringBuilder("IntxWeightOnlyConfig(")
        .append("weight_dtype=torch.").append(kwargs.path("weight_dtype").asText())
        .append(", granularity=").append(isNull(kwargs.path("group_size"))
            ? "PerAxis(0)"
            : "PerGroup(" + kwargs.path("group_size").asInt() + ")")
        .append(", mapping_type=MappingType.").append(kwargs.path("mapping").asText());
    if (!isNull(kwargs.path("scale_dtype"))) {
      text.append(", scale_dtype=torch.").append(kwargs.path("scale_dtype").asText());
    }
    return text.append(", version=").append(version).append(")").toString();
  }

  private static String int4(JsonNode kwargs, String packingFormat) {
    return "Int4WeightOnlyConfig(group_size=" + kwargs.path("group_size").asInt()
        + ", int4_packing_format=\"" + packingFormat + "\", version=2)";
  }

  private static String int8Granularity(JsonNode kwargs) {
    String name = kwargs.path("granularity").asText();
    return switch (name) {
      case "PerRow" -> "PerRow()";
      case "PerTensor" -> "PerTensor()";
      case "PerGroup" -> "PerGroup(" + kwargs.path("group_size").asInt() + ")";
      default -> throw new IllegalArgumentException(
          "Unknown Int8 granularity '" + name + "': expected PerRow, PerTensor or PerGroup");
    };
  }

  private static String groupSizeOrNone(JsonNode kwargs) {
    return isNull(kwargs.path("group_size")) ? "None" : kwargs.path("group_size").asText();
  }

  private static boolean isNull(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }
}
