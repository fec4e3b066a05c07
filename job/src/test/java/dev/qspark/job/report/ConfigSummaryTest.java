package dev.qspark.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigSummaryTest {

  private static MetricRow row(String configId, String tensor, String status, long elements, long bytesIn,
      Long storedBytes, Double sqnrDb) {
    return new MetricRow(configId, configId + "()", tensor, 0, tensor, "q_proj", status, null, elements, bytesIn,
        storedBytes, storedBytes == null ? null : 8.0 * storedBytes / elements, storedBytes == null ? null : 4.5,
        null, sqnrDb, null, null, 0L);
  }

  @Test
  void sizesCountOnlyQuantizedTensors() {
    List<ConfigSummary> summaries = ConfigSummary.of(List.of(
        row("c", "a.weight", MetricRow.QUANTIZED, 4096, 8192, 2304L, 20.0),
        row("c", "b.weight", MetricRow.SKIPPED, 1024, 2048, null, null),
        row("c", "e.weight", MetricRow.KEPT, 64, 128, null, null)));
    ConfigSummary summary = summaries.get(0);
    assertThat(summary.quantizedElements()).isEqualTo(4096);
    assertThat(summary.outputBytes()).isEqualTo(2304);
    assertThat(summary.bitsPerWeight()).isEqualTo(4.5);
  }

  @Test
  void configThatQuantizedNothingHasNoSize() {
    ConfigSummary summary = ConfigSummary.of(List.of(
        row("c", "a.weight", MetricRow.SKIPPED, 4096, 8192, null, null),
        row("c", "b.weight", MetricRow.REJECTED, 1024, 2048, null, null))).get(0);
    assertThat(summary.outputBytes()).isZero();
    assertThat(summary.bitsPerWeight()).isNaN();
    assertThat(summary.skipped()).isEqualTo(1);
    assertThat(summary.rejected()).isEqualTo(1);
  }
}
