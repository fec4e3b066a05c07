package dev.qspark.job.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantizedWriteSettingsTest {

  @Test
  void rowGroupSharesBudgetAmongWriters() {
    QuantizedWriteSettings settings = QuantizedWriteSettings.forConfigs(12, 2, 240L << 20);

    assertThat(settings.rowGroupBytes()).isEqualTo(10L << 20);
    assertThat(settings.parquetOptions()).containsEntry("parquet.block.size", Long.toString(10L << 20));
  }

  @Test
  void rowGroupCappedAtMaximum() {
    QuantizedWriteSettings settings = QuantizedWriteSettings.forConfigs(1, 1, 1L << 40);

    assertThat(settings.rowGroupBytes()).isEqualTo(QuantizedWriteSettings.MAX_ROW_GROUP_BYTES);
  }

  @Test
  void rowGroupKeepsMinimum() {
    QuantizedWriteSettings settings = QuantizedWriteSettings.forConfigs(1000, 64, 1L << 20);

    assertThat(settings.rowGroupBytes()).isEqualTo(QuantizedWriteSettings.MIN_ROW_GROUP_BYTES);
  }

  @Test
  void packedColumnsHaveNoDictionary() {
    QuantizedWriteSettings settings = QuantizedWriteSettings.forConfigs(3, 2, 256L << 20);

    assertThat(settings.parquetOptions())
        .containsEntry("compression", "zstd")
        .containsEntry("parquet.enable.dictionary#qdata", "false")
        .containsEntry("parquet.enable.dictionary#scale.list.element", "false")
        .containsEntry("parquet.enable.dictionary#zero_point.list.element", "false")
        .containsEntry("parquet.column.statistics.enabled#qdata", "false")
        .containsEntry("parquet.page.size.row.check.min", "1")
        .doesNotContainKey("parquet.enable.dictionary");
  }

  @Test
  void zstdLevelDefaultsToOne() {
    QuantizedWriteSettings settings = QuantizedWriteSettings.forConfigs(3, 2, 256L << 20);
    Configuration withLevel = new Configuration(false);
    withLevel.set(QuantizedWriteSettings.ZSTD_LEVEL, "7");

    assertThat(settings.parquetOptions()).containsEntry(QuantizedWriteSettings.ZSTD_LEVEL, "1");
    assertThat(settings.withZstdLevelOf(new Configuration(false)).parquetOptions())
        .containsEntry(QuantizedWriteSettings.ZSTD_LEVEL, "1");
    assertThat(settings.withZstdLevelOf(withLevel).parquetOptions())
        .containsEntry(QuantizedWriteSettings.ZSTD_LEVEL, "7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"23", "40", "-200000", "fast", "1.5"})
  void zstdLevelOutsideZstdRejected(String level) {
    Configuration conf = new Configuration(false);
    conf.set(QuantizedWriteSettings.ZSTD_LEVEL, level);

    assertThatThrownBy(() -> QuantizedWriteSettings.zstdLevel(conf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid zstd level '" + level + "'")
        .hasMessageContaining("to 22");
  }

  @ParameterizedTest
  @ValueSource(ints = {22, 0, -5})
  void zstdLevelWithinZstdAccepted(int level) {
    Configuration conf = new Configuration(false);
    conf.setInt(QuantizedWriteSettings.ZSTD_LEVEL, level);

    assertThat(QuantizedWriteSettings.zstdLevel(conf)).isEqualTo(level);
  }

  @Test
  void zeroConfigsRejected() {
    assertThatThrownBy(() -> QuantizedWriteSettings.forConfigs(0, 2, 1L << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 configs");
  }
}
