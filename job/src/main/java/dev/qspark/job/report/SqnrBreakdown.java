package dev.qspark.job.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * SQNR of the quantized tensors of each config, grouped by a key such as the layer or the module type.
 *
 * @param dimension the key's column name, e.g. {@code layer}
 * @param keys the keys in display order
 * @param configIds the configs in sweep order
 * @param cells statistics per config id, then per key; a key without quantized tensors is absent
 */
public record SqnrBreakdown(
    String dimension, List<String> keys, List<String> configIds, Map<String, Map<String, SqnrStatistics>> cells) {

  /** Groups by layer number, in numeric order; tensors outside numbered layers are left out. */
  public static SqnrBreakdown byLayer(List<MetricRow> rows) {
    return of("layer", rows, row -> row.layer() == null ? null : String.format("%06d", row.layer()), true);
  }

  /** Groups by module type ({@code q_proj}, {@code down_proj}, {@code attention.self.query}), in name order. */
  public static SqnrBreakdown byModuleType(List<MetricRow> rows) {
    return of("module_type", rows, row -> row.moduleType() == null || row.moduleType().isEmpty()
        ? null : row.moduleType(), false);
  }

  public SqnrStatistics cell(String configId, String key) {
    return cells.getOrDefault(configId, Map.of()).get(key);
  }

  /** Sort keys are zero-padded layer numbers; they are stripped back to the plain number for display. */
  private static SqnrBreakdown of(
      String dimension, List<MetricRow> rows, Function<MetricRow, String> sortKey, boolean numeric) {
    TreeSet<String> sortedKeys = new TreeSet<>();
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    for (MetricRow row : rows) {
      values.computeIfAbsent(row.configId(), id -> new LinkedHashMap<>());
      String key = sortKey.apply(row);
      if (key == null || !row.isQuantized()) {
        continue;
      }
      String display = numeric ? Integer.toString(Integer.parseInt(key)) : key;
      sortedKeys.add(key);
      values.get(row.configId()).computeIfAbsent(display, k -> new ArrayList<>()).add(row.sqnrDb());
    }
    List<String> keys = new ArrayList<>();
    for (String key : sortedKeys) {
      keys.add(numeric ? Integer.toString(Integer.parseInt(key)) : key);
    }
    Map<String, Map<String, SqnrStatistics>> cells = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, List<Double>>> config : values.entrySet()) {
      Map<String, SqnrStatistics> byKey = new LinkedHashMap<>();
      for (Map.Entry<String, List<Double>> entry : config.getValue().entrySet()) {
        byKey.put(entry.getKey(), SqnrStatistics.of(entry.getValue()));
      }
      cells.put(config.getKey(), byKey);
    }
    return new SqnrBreakdown(dimension, List.copyOf(keys), List.copyOf(values.keySet()), cells);
  }
}
