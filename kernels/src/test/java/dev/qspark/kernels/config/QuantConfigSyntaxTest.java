package dev.qspark.kernels.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.kernels.TorchaoRelease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The spellings torchao users write, which must all give the same config. */
class QuantConfigSyntaxTest {

  private static final TorchaoRelease RELEASE = TorchaoRelease.V0_15;

  @ParameterizedTest
  @ValueSource(strings = {
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32), mapping_type=MappingType.ASYMMETRIC)",
      "IntxWeightOnlyConfig(mapping_type=MappingType.ASYMMETRIC, granularity=PerGroup(32), weight_dtype=torch.int4)",
      "IntxWeightOnlyConfig(weight_dtype=int4, granularity=PerGroup(group_size=32), mapping_type=\"ASYMMETRIC\")",
      "torchao.quantization.IntxWeightOnlyConfig(weight_dtype='int4', granularity=torchao.quantization.PerGroup(32),"
          + " mapping_type=torchao.quantization.MappingType.ASYMMETRIC,)",
      "  IntxWeightOnlyConfig (\n  weight_dtype = torch . int4 ,\n granularity=PerGroup( 32 ) ,"
          + "\tmapping_type = MappingType.ASYMMETRIC\n)  ",
      "IntxWeightOnlyConfig(torch.int4, PerGroup(32), MappingType.ASYMMETRIC)",
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32), mapping_type=MappingType.ASYMMETRIC, "
          + "scale_dtype=None, layout=QDQLayout(), intx_packing_format=IntxPackingFormat.UNPACKED_TO_INT8, "
          + "intx_choose_qparams_algorithm='affine', version=2)",
  })
  void spellingsOfOneIntxConfigAreEqual(String text) {
    QuantConfig expected = QuantConfigs.parse(
        "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32), mapping_type=MappingType.ASYMMETRIC)",
        RELEASE, null);

    assertThat(QuantConfigs.parse(text, RELEASE, null)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Int8WeightOnlyConfig(version=2, granularity=PerRow())",
      "Int8WeightOnlyConfig(version=2, granularity=PerRow(dim=-1))",
      "Int8WeightOnlyConfig(version=2, granularity=PerRow(-1))",
      "Int8WeightOnlyConfig(None, PerRow(), True, 2)",
  })
  void spellingsOfPerRowAreEqual(String text) {
    QuantConfig expected = QuantConfigs.parse("Int8WeightOnlyConfig(version=2)", RELEASE, null);

    assertThat(QuantConfigs.parse(text, RELEASE, null)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "IntxWeightOnlyConfig(granularity=PerAxis(0))",
      "IntxWeightOnlyConfig(granularity=PerAxis(axis=0))",
      "IntxWeightOnlyConfig(weight_dtype=torch.int8, scale_dtype=None)",
  })
  void spellingsOfPerAxisZeroAreEqual(String text) {
    assertThat(QuantConfigs.parse(text, RELEASE, null)).isEqualTo(QuantConfigs.parse("IntxWeightOnlyConfig()", RELEASE, null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Int4WeightOnlyConfig(int4_packing_format='plain_int32')",
      "Int4WeightOnlyConfig(int4_packing_format=\"PLAIN_INT32\")",
      "Int4WeightOnlyConfig(int4_packing_format=Int4PackingFormat.PLAIN_INT32)",
  })
  void stringEnumsAcceptValueNameAndMember(String text) {
    Int4WeightOnlyConfig config = (Int4WeightOnlyConfig) QuantConfigs.parse(text, RELEASE, null);

    assertThat(config.packingFormat()).isEqualTo(Int4PackingFormat.PLAIN_INT32);
  }

  @Test
  void floatDtypeAliasesMapToTheTorchNames() {
    QuantConfig half = QuantConfigs.parse("IntxWeightOnlyConfig(scale_dtype=torch.half)", RELEASE, null);
    QuantConfig float16 = QuantConfigs.parse("IntxWeightOnlyConfig(scale_dtype=torch.float16)", RELEASE, null);
    QuantConfig single = QuantConfigs.parse("IntxWeightOnlyConfig(scale_dtype=torch.float)", RELEASE, null);

    assertThat(half).isEqualTo(float16);
    assertThat(single.canonical()).contains("scale_dtype=torch.float32");
  }

  @Test
  void uintxAcceptsThePrototypeModulePrefix() {
    QuantConfig config = QuantConfigs.parse(
        "torchao.prototype.quantization.UIntXWeightOnlyConfig(dtype=torch.uint5)", TorchaoRelease.V0_16, null);

    assertThat(config.canonical()).startsWith("UIntXWeightOnlyConfig(dtype=torch.uint5,");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Int4WeightOnlyConfig(group_size=64|position 34",
      "Int4WeightOnlyConfig(group_size=64))|position 35",
      "Int4WeightOnlyConfig(group_size=64 version=2)|position 35",
      "Int4WeightOnlyConfig(group_size=)|position 32",
      "Int4WeightOnlyConfig(int4_packing_format='plain)|position 41: the string that starts there has no closing",
      "Int4WeightOnlyConfig(group_size=6.4)|position 33",
      "Int4WeightOnlyConfig|position 0",
      "Int4WeightOnlyConfig(group_size=64) extra|position 36",
      "Int4WeightOnlyConfig(version=2, 64)|follows a keyword argument",
      "Int4WeightOnlyConfig(group_size=64, group_size=32)|group_size is given twice",
  })
  void syntaxErrorsNameThePosition(String text, String expectedFragment) {
    assertThatThrownBy(() -> QuantConfigs.parse(text, RELEASE, null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(expectedFragment);
  }

  @Test
  void emptyTextIsRejected() {
    assertThatThrownBy(() -> QuantConfigs.parse("  ", RELEASE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }
}
