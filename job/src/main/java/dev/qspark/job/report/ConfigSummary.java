package dev.qspark.job.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One config's results over a whole sweep.
 *
 * <p>Sizes cover the target tensors (every status but kept), because tensors that no config
 * quantizes weigh the same under every config. A skipped or rejected tensor counts with its input
 * bytes: torchao leaves a skipped weight unquantized, and a rejected one makes torchao raise.
 *
 * @param targetElements elements of the target tensors
 * @param outputBytes bytes of the target tensors in the quantized model
 * @param bitsPerWeight {@code 8 * outputBytes / targetElements}
 * @param nominalBitsPerWeight the nominal bits per weight of the quantized tensors, weighted by elements
 * @param sqnr SQNR statistics over the quantized tensors
 * @param worstTensors up to five quantized tensors with the lowest SQNR, lowest first
 */
public record ConfigSummary(
    String configId,
    String config,
    int quantized,
    int skipped,
    int rejected,
    long targetElements,
    long outputBytes,
    double bitsPerWeight,
    double nominalBitsPerWeight,
    SqnrStatistics sqnr,
    List<MetricRow> worstTensors) {

  public static final int WORST_TENSOR_COUNT = 5;

  /** Summarizes each config of {@code rows}, in the order configs first appear. */
  public static List<ConfigSummary> of(List<MetricRow> rows) {
    Map<String, List<MetricRow>> byConfig = groupByConfig(rows);
    List<ConfigSummary> summaries = new ArrayList<>();
    for (List<MetricRow> configRows : byConfig.values()) {
      summaries.add(summarize(configRows));
    }
    return summaries;
  }

  static Map<String, List<MetricRow>> groupByConfig(List<MetricRow> rows) {
    Map<String, List<MetricRow>> byConfig = new LinkedHashMap<>();
    for (MetricRow row : rows) {
      byConfig.computeIfAbsent(row.configId(), id -> new ArrayList<>()).add(row);
    }
    return byConfig;
  }

  private static ConfigSummary summarize(List<MetricRow> rows) {
    int quantized = 0;
    int skipped = 0;
    int rejected = 0;
    long targetElements = 0;
    long outputBytes = 0;
    long quantizedElements = 0;
    double nominalBits = 0;
    List<Double> sqnrValues = new ArrayList<>();
    List<MetricRow> quantizedRows = new ArrayList<>();
    for (MetricRow row : rows) {
      if (!row.isTarget()) {
        continue;
      }
      targetElements += row.elements();
      outputBytes += row.outputBytes();
      switch (row.status()) {
        case MetricRow.QUANTIZED -> {
          quantized++;
          quantizedRows.add(row);
          sqnrValues.add(row.sqnrDb());
          if (row.nominalBitsPerWeight() != null) {
            quantizedElements += row.elements();
            nominalBits += row.nominalBitsPerWeight() * row.elements();
          }
        }
        case MetricRow.SKIPPED -> skipped++;
        case MetricRow.REJECTED -> rejected++;
        default -> throw new IllegalArgumentException("Cannot summarize config " + row.configId()
            + ": tensor " + row.tensor() + " has status '" + row.status()
            + "'; expected quantized, kept, skipped or rejected");
      }
    }
    quantizedRows.sort(Comparator.comparing(
        (MetricRow row) -> row.sqnrDb() == null ? Double.NaN : row.sqnrDb()).thenComparing(MetricRow::tensor));
    List<MetricRow> worst = List.copyOf(quantizedRows.subList(0, Math.min(WORST_TENSOR_COUNT, quantizedRows.size())));
    MetricRow first = rows.get(0);
    return new ConfigSummary(
        first.configId(),
        first.config(),
        quantized,
        skipped,
        rejected,
        targetElements,
        outputBytes,
        targetElements == 0 ? Double.NaN : 8.0 * outputBytes / targetElements,
        quantizedElements == 0 ? Double.NaN : nominalBits / quantizedElements,
        SqnrStatistics.of(sqnrValues),
        worst);
  }
}
