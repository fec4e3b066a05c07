package dev.qspark.job.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One config's results over a whole sweep.
 *
 * <p>Sizes cover the quantized tensors only, as in the job's console summary: skipped, rejected
 * and kept tensors are left out, so a config that quantized nothing has no size (NaN bits per
 * weight).
 *
 * @param quantizedElements elements of the quantized tensors
 * @param outputBytes stored bytes (qdata plus qparams) of the quantized tensors
 * @param bitsPerWeight {@code 8 * outputBytes / quantizedElements}, NaN when nothing was quantized
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
    long quantizedElements,
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
    long quantizedElements = 0;
    long outputBytes = 0;
    long nominalElements = 0;
    double nominalBits = 0;
    List<Double> sqnrValues = new ArrayList<>();
    List<MetricRow> quantizedRows = new ArrayList<>();
    for (MetricRow row : rows) {
      if (!row.isTarget()) {
        continue;
      }
      switch (row.status()) {
        case MetricRow.QUANTIZED -> {
          quantized++;
          quantizedRows.add(row);
          sqnrValues.add(row.sqnrDb());
          quantizedElements += row.elements();
          outputBytes += row.outputBytes();
          if (row.nominalBitsPerWeight() != null) {
            nominalElements += row.elements();
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
        quantizedElements,
        outputBytes,
        quantizedElements == 0 ? Double.NaN : 8.0 * outputBytes / quantizedElements,
        nominalElements == 0 ? Double.NaN : nominalBits / nominalElements,
        SqnrStatistics.of(sqnrValues),
        worst);
  }
}
