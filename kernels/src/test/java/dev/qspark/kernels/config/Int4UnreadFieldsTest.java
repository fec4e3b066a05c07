package dev.qspark.kernels.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.TorchaoRelease;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which version 1 fields a version 2 Int4 config sets without torchao reading them. */
class Int4UnreadFieldsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0.15|Int4WeightOnlyConfig(group_size=32)|''",
      "0.15|Int4WeightOnlyConfig(use_hqq=False, preserve_zero=None)|''",
      "0.15|Int4WeightOnlyConfig(use_hqq=True)|use_hqq",
      "0.15|Int4WeightOnlyConfig(layout=TensorCoreTiledLayout(inner_k_tiles=4), zero_point_domain=ZeroPointDomain.FLOAT)|layout,zero_point_domain",
      "0.15|Int4WeightOnlyConfig(preserve_zero=False, use_hqq=True)|use_hqq,preserve_zero",
      "0.15|Int4WeightOnlyConfig(layout=TensorCoreTiledLayout(inner_k_tiles=4), version=1)|''",
      "0.16|Int4WeightOnlyConfig(group_size=64)|''",
  })
  void listsVersion1FieldsAwayFromDefaults(String release, String text, String expected) {
    Int4WeightOnlyConfig config =
        (Int4WeightOnlyConfig) QuantConfigs.parse(text, TorchaoRelease.parse(release), null);

    assertThat(String.join(",", config.unreadVersion1Fields())).isEqualTo(expected);
  }
}
