package dev.qspark.kernels.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigIdsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Int4WeightOnlyConfig()|0.15|int4-v2",
      "Int4WeightOnlyConfig(group_size=64)|0.16|int4-v2-g64",
      "Int4WeightOnlyConfig(group_size=64, version=1)|0.15|int4-v1-g64",
      "Int4WeightOnlyConfig(group_size=32, int4_packing_format='plain_int32')|0.18|int4-v2-g32-plain-int32",
      "Int4WeightOnlyConfig(int4_packing_format='tile_packed_to_4d', int4_tile_packed_ntile=16)|0.17|"
          + "int4-v2-tile-packed-to-4d-ntile16",
      "Int4WeightOnlyConfig(set_inductor_config=False, layout=TensorCoreTiledLayout(4), version=1)|0.15|"
          + "int4-v1-tiles4-inductor-off",
      "IntxWeightOnlyConfig()|0.16|intx-v2",
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32), mapping_type=MappingType.ASYMMETRIC, "
          + "version=1)|0.15|intx-v1-int4-g32-asym",
      "IntxWeightOnlyConfig(weight_dtype=torch.int2, mapping_type=MappingType.SYMMETRIC_NO_CLIPPING_ERR, "
          + "scale_dtype=torch.float32)|0.18|intx-v2-int2-symnc-scale-float32",
      "Int8WeightOnlyConfig()|0.15|int8-v1",
      "Int8WeightOnlyConfig(version=1, group_size=64)|0.17|int8-v1-g64",
      "Int8WeightOnlyConfig(version=2, granularity=PerRow())|0.16|int8-v2",
      "Int8WeightOnlyConfig(version=2, granularity=PerTensor())|0.16|int8-v2-pertensor",
      "Int8WeightOnlyConfig(granularity=PerGroup(32), reduce_range=True)|0.18|int8-v2-pergroup32-reduce-range",
      "UIntXWeightOnlyConfig(dtype=torch.uint3, group_size=64)|0.15|uintx-v1-uint3",
      "UIntXWeightOnlyConfig(dtype=torch.uint3, group_size=32)|0.16|uintx-v1-uint3-g32",
  })
  void idNamesFamilyVersionAndNonDefaultFields(String text, String release, String expectedId) {
    QuantConfig config = QuantConfigs.parse(text, TorchaoRelease.parse(release), null);

    assertThat(config.configId()).isEqualTo(expectedId);
    assertThat(config.configId()).matches("[a-z0-9-]+");
  }

  @Test
  void idNamesANonDefaultDevice() {
    QuantConfig onCpu = QuantConfigs.parse("Int4WeightOnlyConfig(group_size=32)", TorchaoRelease.V0_15, DeviceArithmetic.CPU);
    QuantConfig onCuda = QuantConfigs.parse("IntxWeightOnlyConfig()", TorchaoRelease.V0_15, DeviceArithmetic.CUDA);

    assertThat(onCpu.configId()).isEqualTo("int4-v2-g32-cpu");
    assertThat(onCuda.configId()).isEqualTo("intx-v2-cuda");
  }

  @Test
  void assignKeepsIdsWithoutCollision() {
    List<QuantConfig> configs = List.of(
        QuantConfigs.parse("Int4WeightOnlyConfig(group_size=64)", TorchaoRelease.V0_15, null),
        QuantConfigs.parse("IntxWeightOnlyConfig(weight_dtype=torch.int4)", TorchaoRelease.V0_15, null),
        QuantConfigs.parse("Int8WeightOnlyConfig()", TorchaoRelease.V0_15, null));

    assertThat(ConfigIds.assign(configs)).containsExactly("int4-v2-g64", "intx-v2-int4", "int8-v1");
  }

  @Test
  void assignAddsHashSuffixOnCollision() throws Exception {
    QuantConfig release15 = QuantConfigs.parse("Int4WeightOnlyConfig(group_size=64)", TorchaoRelease.V0_15, null);
    QuantConfig release16 = QuantConfigs.parse("Int4WeightOnlyConfig(group_size=64)", TorchaoRelease.V0_16, null);
    QuantConfig other = QuantConfigs.parse("Int8WeightOnlyConfig()", TorchaoRelease.V0_16, null);

    List<String> ids = ConfigIds.assign(List.of(release15, other, release16));

    assertThat(ids.get(0)).isEqualTo("int4-v2-g64-" + sha256Prefix(release15));
    assertThat(ids.get(1)).isEqualTo("int8-v1");
    assertThat(ids.get(2)).isEqualTo("int4-v2-g64-" + sha256Prefix(release16));
    assertThat(ids.get(0)).isNotEqualTo(ids.get(2));
    assertThat(ids).allMatch(id -> id.matches("[a-z0-9-]+"));
  }

  @Test
  void assignRejectsTheSameConfigTwice() {
    QuantConfig config = QuantConfigs.parse("Int4WeightOnlyConfig(group_size=64)", TorchaoRelease.V0_15, null);
    QuantConfig same = QuantConfigs.parse("Int4WeightOnlyConfig(64)", TorchaoRelease.V0_15, null);

    assertThatThrownBy(() -> ConfigIds.assign(List.of(config, same)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("appears twice");
  }

  private static String sha256Prefix(QuantConfig config) throws Exception {
    String identity = config.canonical() + " torchao=" + config.release() + " device=" + config.deviceArithmetic();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, 6);
  }
}
