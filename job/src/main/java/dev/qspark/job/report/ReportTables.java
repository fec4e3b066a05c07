package dev.qspark.job.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds the CSV exports of the report's tables. */
final class ReportTables {

  private ReportTables() {}

  static CsvTable metrics(List<MetricRow> rows) {
    CsvTable table = new CsvTable("metrics", List.of("config_id", "config", "tensor", "layer", "module",
        "module_type", "status", "reason", "elements", "bytes_in", "stored_bytes", "stored_bits_per_weight",
        "nominal_bits_per_weight", "mse", "sqnr_db", "max_abs_error", "relative_frobenius_error",
        "non_finite_count"));
    for (MetricRow row : rows) {
      table.addRow(row.configId(), row.config(), row.tensor(), row.layer(), row.module(), row.moduleType(),
          row.status(), row.reason(), row.elements(), row.bytesIn(), row.storedBytes(),
          row.storedBitsPerWeight(), row.nominalBitsPerWeight(), row.mse(), row.sqnrDb(), row.maxAbsError(),
          row.relativeFrobeniusError(), row.nonFiniteCount());
    }
    return table;
  }

  static CsvTable summary(List<ConfigSummary> summaries, List<ConfigSummary> front) {
    Set<String> frontIds = new HashSet<>();
    front.forEach(summary -> frontIds.add(summary.configId()));
    CsvTable table = new CsvTable("summary", List.of("config_id", "config", "quantized", "skipped", "rejected",
        "quantized_elements", "output_bytes", "bits_per_weight", "nominal_bits_per_weight", "mean_sqnr_db",
        "median_sqnr_db", "min_sqnr_db", "on_pareto_front", "worst_tensors"));
    for (ConfigSummary summary : summaries) {
      List<String> worst = new ArrayList<>();
      for (MetricRow row : summary.worstTensors()) {
        worst.add(row.tensor() + " (" + CsvTable.format(row.sqnrDb()) + " dB)");
      }
      table.addRow(summary.configId(), summary.config(), summary.quantized(), summary.skipped(), summary.rejected(),
          summary.quantizedElements(), summary.outputBytes(), summary.bitsPerWeight(), summary.nominalBitsPerWeight(),
          summary.sqnr().mean(), summary.sqnr().median(), summary.sqnr().min(),
          frontIds.contains(summary.configId()), String.join("; ", worst));
    }
    return table;
  }

  static CsvTable pareto(List<ConfigSummary> front) {
    CsvTable table = new CsvTable("pareto_front", List.of("config_id", "bits_per_weight", "mean_sqnr_db"));
    for (ConfigSummary summary : front) {
      table.addRow(summary.configId(), summary.bitsPerWeight(), summary.sqnr().mean());
    }
    return table;
  }

  static CsvTable breakdown(String name, SqnrBreakdown breakdown) {
    CsvTable table = new CsvTable(name, List.of("config_id", breakdown.dimension(), "tensors",
        "mean_sqnr_db", "median_sqnr_db", "min_sqnr_db"));
    for (String configId : breakdown.configIds()) {
      for (String key : breakdown.keys()) {
        SqnrStatistics cell = breakdown.cell(configId, key);
        if (cell != null) {
          table.addRow(configId, key, cell.count(), cell.mean(), cell.median(), cell.min());
        }
      }
    }
    return table;
  }

  static CsvTable versionPairs(List<VersionComparison> comparisons) {
    CsvTable table = new CsvTable("version_comparison", List.of("v1_config_id", "v2_config_id", "tensors",
        "values", "differing_value_share", "groups", "differing_scale_share", "max_abs_difference",
        "mean_sqnr_difference_db", "reason", "v1_config", "v2_config"));
    for (VersionComparison comparison : comparisons) {
      BlockDifference total = comparison.total();
      table.addRow(comparison.pair().v1ConfigId(), comparison.pair().v2ConfigId(), comparison.tensors().size(),
          total.values(), total.differingValueShare(), total.groups(), total.differingScaleShare(),
          total.maxAbsDifference(), comparison.meanSqnrDifferenceDb(), comparison.pair().reason(),
          comparison.pair().v1Config(), comparison.pair().v2Config());
    }
    return table;
  }

  static CsvTable versionTensors(List<VersionComparison> comparisons) {
    CsvTable table = new CsvTable("version_tensors", List.of("v1_config_id", "v2_config_id", "tensor", "values",
        "differing_value_share", "groups", "differing_scale_share", "max_abs_difference", "v1_sqnr_db",
        "v2_sqnr_db", "sqnr_difference_db"));
    for (VersionComparison comparison : comparisons) {
      for (VersionComparison.TensorDifference tensor : comparison.tensors()) {
        BlockDifference difference = tensor.difference();
        table.addRow(comparison.pair().v1ConfigId(), comparison.pair().v2ConfigId(), tensor.tensor(),
            difference.values(), difference.differingValueShare(), difference.groups(),
            difference.differingScaleShare(), difference.maxAbsDifference(), tensor.v1SqnrDb(), tensor.v2SqnrDb(),
            tensor.sqnrDifferenceDb());
      }
    }
    return table;
  }
}
