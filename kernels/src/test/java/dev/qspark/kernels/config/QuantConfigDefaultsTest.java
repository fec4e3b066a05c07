package dev.qspark.kernels.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Defaults per release, written out from torchao's declarations. */
class QuantConfigDefaultsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0.15|Int4WeightOnlyConfig(group_size=128, layout=TensorCoreTiledLayout(inner_k_tiles=8), use_hqq=False, "
          + "zero_point_domain=ZeroPointDomain.NONE, set_inductor_config=True, preserve_zero=None, "
          + "int4_packing_format=\"plain\", int4_choose_qparams_algorithm=\"tinygemm\", version=2)",
      "0.16|Int4WeightOnlyConfig(group_size=128, set_inductor_config=True, int4_packing_format=\"plain\", "
          + "int4_choose_qparams_algorithm=\"tinygemm\", version=2)",
      "0.17|Int4WeightOnlyConfig(group_size=128, set_inductor_config=True, int4_packing_format=\"plain\", "
          + "int4_choose_qparams_algorithm=\"tinygemm\", int4_tile_packed_ntile=8, version=2)",
      "0.18|Int4WeightOnlyConfig(group_size=128, set_inductor_config=True, int4_packing_format=\"plain\", "
          + "int4_choose_qparams_algorithm=\"tinygemm\", int4_tile_packed_ntile=8, version=2)",
  })
  void int4DefaultsPerRelease(String release, String expectedCanonical) {
    QuantConfig config = QuantConfigs.parse("Int4WeightOnlyConfig()", TorchaoRelease.parse(release), null);

    assertThat(config.canonical()).isEqualTo(expectedCanonical);
    assertThat(config.version()).isEqualTo(2);
    assertThat(config.deviceArithmetic()).isEqualTo(DeviceArithmetic.CUDA);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0.15|IntxWeightOnlyConfig(weight_dtype=torch.int8, granularity=PerAxis(0), mapping_type=MappingType.SYMMETRIC, "
          + "scale_dtype=None, layout=QDQLayout(), intx_packing_format=\"unpacked_to_int8\", "
          + "intx_choose_qparams_algorithm=\"affine\", version=2)",
      "0.16|IntxWeightOnlyConfig(weight_dtype=torch.int8, granularity=PerAxis(0), mapping_type=MappingType.SYMMETRIC, "
          + "scale_dtype=None, intx_packing_format=\"unpacked_to_int8\", intx_choose_qparams_algorithm=\"affine\", version=2)",
      "0.18|IntxWeightOnlyConfig(weight_dtype=torch.int8, granularity=PerAxis(0), mapping_type=MappingType.SYMMETRIC, "
          + "scale_dtype=None, intx_packing_format=\"unpacked_to_int8\", intx_choose_qparams_algorithm=\"affine\", version=2)",
  })
  void intxDefaultsPerRelease(String release, String expectedCanonical) {
    IntxWeightOnlyConfig config =
        (IntxWeightOnlyConfig) QuantConfigs.parse("IntxWeightOnlyConfig()", TorchaoRelease.parse(release), null);

    assertThat(config.canonical()).isEqualTo(expectedCanonical);
    assertThat(config.weightBits()).isEqualTo(8);
    assertThat(config.granularity()).isEqualTo(new Granularity.PerAxis(0));
    assertThat(config.mappingType()).isEqualTo(MappingType.SYMMETRIC);
    assertThat(config.scaleDtype()).isNull();
    assertThat(config.deviceArithmetic()).isEqualTo(DeviceArithmetic.CPU);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0.15|1|Int8WeightOnlyConfig(group_size=None, granularity=PerRow(), set_inductor_config=True, version=1)",
      "0.16|1|Int8WeightOnlyConfig(group_size=None, granularity=PerRow(), set_inductor_config=True, version=1)",
      "0.17|1|Int8WeightOnlyConfig(group_size=None, granularity=PerRow(), set_inductor_config=True, version=1)",
      "0.18|2|Int8WeightOnlyConfig(group_size=None, granularity=PerRow(), set_inductor_config=True, "
          + "reduce_range=False, version=2)",
  })
  void int8DefaultVersionChangesAt018(String release, int expectedVersion, String expectedCanonical) {
    Int8WeightOnlyConfig config =
        (Int8WeightOnlyConfig) QuantConfigs.parse("Int8WeightOnlyConfig()", TorchaoRelease.parse(release), null);

    assertThat(config.version()).isEqualTo(expectedVersion);
    assertThat(config.canonical()).isEqualTo(expectedCanonical);
    assertThat(config.groupSize()).isNull();
    assertThat(config.deviceArithmetic()).isEqualTo(DeviceArithmetic.CPU);
  }

  @ParameterizedTest
  @EnumSource(value = TorchaoRelease.class, names = {"V0_15", "V0_16"})
  void uintxDefaultsBesideTheRequiredDtype(TorchaoRelease release) {
    UIntXWeightOnlyConfig config =
        (UIntXWeightOnlyConfig) QuantConfigs.parse("UIntXWeightOnlyConfig(dtype=torch.uint4)", release, null);

    assertThat(config.canonical()).isEqualTo(
        "UIntXWeightOnlyConfig(dtype=torch.uint4, group_size=64, pack_dim=-1, use_hqq=False, set_inductor_config=True)");
    assertThat(config.bits()).isEqualTo(4);
    assertThat(config.version()).isEqualTo(1);
    assertThat(config.deviceArithmetic()).isEqualTo(DeviceArithmetic.CPU);
  }

  @ParameterizedTest
  @CsvSource({
      "Int4WeightOnlyConfig(), cuda",
      "Int4WeightOnlyConfig(version=1), cuda",
      "Int4WeightOnlyConfig(int4_packing_format='plain_int32'), xpu",
      "Int4WeightOnlyConfig(int4_packing_format='tile_packed_to_4d'), cuda",
      "IntxWeightOnlyConfig(), cpu",
      "Int8WeightOnlyConfig(), cpu",
      "UIntXWeightOnlyConfig(dtype=torch.uint2), cpu",
  })
  void effectiveDeviceDefaultsPerFormat(String text, String expectedDevice) {
    QuantConfig config = QuantConfigs.parse(text, TorchaoRelease.V0_15, null);

    assertThat(config.deviceArithmetic()).isEqualTo(DeviceArithmetic.parse(expectedDevice));
  }

  @Test
  void explicitDeviceOverridesTheDefault() {
    QuantConfig int4 = QuantConfigs.parse("Int4WeightOnlyConfig(group_size=32)", TorchaoRelease.V0_15, DeviceArithmetic.CPU);
    QuantConfig intx = QuantConfigs.parse("IntxWeightOnlyConfig()", TorchaoRelease.V0_18, DeviceArithmetic.CUDA);

    assertThat(int4.deviceArithmetic()).isEqualTo(DeviceArithmetic.CPU);
    assertThat(intx.deviceArithmetic()).isEqualTo(DeviceArithmetic.CUDA);
  }

  @Test
  void typedAccessorsCarryTheParsedValues() {
    IntxWeightOnlyConfig intx = (IntxWeightOnlyConfig) QuantConfigs.parse(
        "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32), mapping_type=MappingType.ASYMMETRIC, "
            + "scale_dtype=torch.float32, version=2)", TorchaoRelease.V0_16, null);
    Int4WeightOnlyConfig int4 = (Int4WeightOnlyConfig) QuantConfigs.parse(
        "Int4WeightOnlyConfig(group_size=64, int4_packing_format='tile_packed_to_4d', int4_tile_packed_ntile=16)",
        TorchaoRelease.V0_18, null);

    assertThat(intx.weightBits()).isEqualTo(4);
    assertThat(intx.granularity()).isEqualTo(new Granularity.PerGroup(32));
    assertThat(intx.mappingType()).isEqualTo(MappingType.ASYMMETRIC);
    assertThat(intx.scaleDtype()).isEqualTo(FloatDtype.FLOAT32);
    assertThat(intx.layout()).isNull();
    assertThat(int4.groupSize()).isEqualTo(64);
    assertThat(int4.packingFormat()).isEqualTo(Int4PackingFormat.TILE_PACKED_TO_4D);
    assertThat(int4.chooseQParamsAlgorithm()).isEqualTo(Int4ChooseQParamsAlgorithm.TINYGEMM);
    assertThat(int4.tilePackedNtile()).isEqualTo(16);
    assertThat(int4.useHqq()).isNull();
  }
}
