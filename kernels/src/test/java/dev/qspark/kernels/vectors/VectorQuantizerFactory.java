package dev.qspark.kernels.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.format.Int4PlainInt32Quantizer;
import dev.qspark.kernels.format.Int8WeightOnlyV1Quantizer;
import dev.qspark.kernels.format.Int8WeightOnlyV2Quantizer;
import dev.qspark.kernels.format.IntxWeightOnlyV1Quantizer;
import dev.qspark.kernels.format.IntxWeightOnlyV2Quantizer;
import dev.qspark.kernels.format.UIntXWeightOnlyQuantizer;
import dev.qspark.kernels.format.UintxBitPacker;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the quantizer a vector file describes from its {@code config} name and {@code kwargs}.
 *
 * <p>Test-side stand-in for the config model. A config torchao rejects in the file's release makes
 * the constructor throw {@link IllegalArgumentException}.
 */
final class VectorQuantizerFactory {

  private VectorQuantizerFactory() {}

  /**
   * True for the Int4 formats another kernel module provides: {@code int4_v2_plain} (but not
   * {@code int4_v2_plain_int32}), {@code int4_v2_tile_packed_to_4d} and {@code int4_v1_tinygemm}.
   */
  // TODO: drop once the Int4Tensor and tinygemm formats are merged; the harness then covers them.
  static boolean isPending(String config) {
    return config.equals("int4_v2_plain")
        || config.equals("int4_v2_tile_packed_to_4d")
        || config.equals("int4_v1_tinygemm");
  }

  /**
   * Returns the quantizer for a vector file's config.
   *
   * @throws IllegalArgumentException when torchao rejects the config in the file's release
   * @throws UnsupportedOperationException for a config name this factory does not know
   */
  static WeightQuantizer create(String config, JsonNode kwargs) {
    TorchaoRelease release = TorchaoRelease.parse(kwargs.path("profile").asText());
    DeviceArithmetic device = DeviceArithmetic.parse(kwargs.path("device").asText());
    return switch (config) {
      case "intx_v2" -> new IntxWeightOnlyV2Quantizer(
          intBits(kwargs.path("weight_dtype").asText()),
          intxGranularity(kwargs),
          MappingType.valueOf(kwargs.path("mapping").asText()),
          scaleDtype(kwargs),
          release,
          device);
      case "intx_v1" -> new IntxWeightOnlyV1Quantizer(
          intBits(kwargs.path("weight_dtype").asText()),
          intxGranularity(kwargs),
          MappingType.valueOf(kwargs.path("mapping").asText()),
          scaleDtype(kwargs),
          release,
          device);
      case "int8_v1" -> new Int8WeightOnlyV1Quantizer(optionalGroupSize(kwargs), release, device);
      case "int8_v2" -> new Int8WeightOnlyV2Quantizer(int8Granularity(kwargs), release, device);
      case "uintx_v1" -> new UIntXWeightOnlyQuantizer(
          kwargs.path("bits").asInt(), kwargs.path("group_size").asInt(), release, device);
      case "int4_v2_plain_int32" -> new Int4PlainInt32Quantizer(kwargs.path("group_size").asInt(), release, device);
      default -> throw new UnsupportedOperationException("No quantizer for vector config '" + config + "'");
    };
  }

  /**
   * Returns the bytes per row of each tensor the format stores, in the order a block's qdata holds them.
   */
  static List<Integer> storedBytesPerRow(String config, JsonNode kwargs, int inFeatures) {
    List<Integer> sizes = new ArrayList<>();
    switch (config) {
      case "uintx_v1" -> {
        int bits = kwargs.path("bits").asInt();
        for (int width : UintxBitPacker.shardWidths(bits)) {
          sizes.add(inFeatures * width / 8);
        }
      }
      case "int4_v2_plain_int32" -> sizes.add(inFeatures / 2);
      default -> sizes.add(inFeatures);
    }
    return sizes;
  }

  /** True where torchao stores the scale and zero point transposed, {@code [K/g, N]}. */
  static boolean storesTransposedQParams(String config) {
    return config.equals("int4_v2_plain_int32");
  }

  private static int intBits(String weightDtype) {
    if (!weightDtype.startsWith("int")) {
      throw new IllegalArgumentException("Unsupported weight_dtype '" + weightDtype + "': expected int1 to int8");
    }
    return Integer.parseInt(weightDtype.substring(3));
  }

  private static Granularity intxGranularity(JsonNode kwargs) {
    Integer groupSize = optionalGroupSize(kwargs);
    return groupSize == null ? new Granularity.PerAxis(0) : new Granularity.PerGroup(groupSize);
  }

  private static Granularity int8Granularity(JsonNode kwargs) {
    String name = kwargs.path("granularity").asText();
    return switch (name) {
      case "PerRow" -> new Granularity.PerRow();
      case "PerTensor" -> new Granularity.PerTensor();
      case "PerGroup" -> new Granularity.PerGroup(kwargs.path("group_size").asInt());
      default -> throw new UnsupportedOperationException("Unknown Int8 granularity '" + name + "'");
    };
  }

  private static Integer optionalGroupSize(JsonNode kwargs) {
    JsonNode groupSize = kwargs.path("group_size");
    return groupSize.isMissingNode() || groupSize.isNull() ? null : groupSize.asInt();
  }

  private static FloatDtype scaleDtype(JsonNode kwargs) {
    JsonNode scaleDtype = kwargs.path("scale_dtype");
    return scaleDtype.isMissingNode() || scaleDtype.isNull() ? null : FloatDtype.fromTorchName(scaleDtype.asText());
  }
}
