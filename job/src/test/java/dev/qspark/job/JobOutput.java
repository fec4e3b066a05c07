package dev.qspark.job;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a job's {@code quantized/} and {@code metrics/} back and rebuilds whole tensors from their blocks. */
final class JobOutput {

  /** A tensor rebuilt by concatenating its blocks in row order. */
  record Rebuilt(long rows, byte[] qdata, float[] scale, float[] zeroPoint, List<Long> rowStarts) {}

  private JobOutput() {}

  /** Rebuilt tensors keyed by {@code config_id + " " + tensor}. */
  static Map<String, Rebuilt> rebuild(SparkSession spark, Path out) {
    List<Row> rows = spark.read().parquet(out.resolve("quantized").toString()).collectAsList();
    Map<String, List<Row>> byTensor = new HashMap<>();
    for (Row row : rows) {
      String key = row.getString(row.fieldIndex("config_id")) + " " + row.getString(row.fieldIndex("tensor"));
      byTensor.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
    }
    Map<String, Rebuilt> rebuilt = new HashMap<>();
    byTensor.forEach((key, blocks) -> rebuilt.put(key, concatenate(blocks)));
    return rebuilt;
  }

  private static Rebuilt concatenate(List<Row> blocks) {
    blocks.sort(Comparator.comparingLong(row -> row.getLong(row.fieldIndex("row_start"))));
    ByteArrayOutputStream qdata = new ByteArrayOutputStream();
    List<Float> scale = new ArrayList<>();
    List<Float> zeroPoint = new ArrayList<>();
    List<Long> rowStarts = new ArrayList<>();
    boolean hasZeroPoint = true;
    long rows = 0;
    for (Row row : blocks) {
      rowStarts.add(row.getLong(row.fieldIndex("row_start")));
      rows += row.getInt(row.fieldIndex("row_count"));
      qdata.writeBytes((byte[]) row.get(row.fieldIndex("qdata")));
      scale.addAll(row.getList(row.fieldIndex("scale")));
      if (row.isNullAt(row.fieldIndex("zero_point"))) {
        hasZeroPoint = false;
      } else {
        zeroPoint.addAll(row.getList(row.fieldIndex("zero_point")));
      }
    }
    return new Rebuilt(rows, qdata.toByteArray(), floats(scale), hasZeroPoint ? floats(zeroPoint) : null, rowStarts);
  }

  private static float[] floats(List<Float> values) {
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }

  /** Metrics rows keyed by {@code config_id + " " + tensor}. */
  static Map<String, Row> metrics(SparkSession spark, Path out) {
    Map<String, Row> metrics = new HashMap<>();
    for (Row row : spark.read().parquet(out.resolve("metrics").toString()).collectAsList()) {
      metrics.put(row.getString(row.fieldIndex("config_id")) + " " + row.getString(row.fieldIndex("tensor")), row);
    }
    return metrics;
  }
}
