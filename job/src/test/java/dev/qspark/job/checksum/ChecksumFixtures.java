package dev.qspark.job.checksum;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Run output folders with a {@code quantized/} made by {@link QuantizedFixture} and a matching
 * {@code metrics/}, for command tests.
 */
public final class ChecksumFixtures {

  private ChecksumFixtures() {}

  /** Writes the fixture's rows for {@code seed}, split into blocks of {@code blockRows}, from {@code partitions}. */
  public static void write(SparkSession spark, long seed, int[] blockRows, Path outputDir, int partitions) {
    QuantizedParquet.write(spark, new QuantizedFixture(seed).rows(blockRows), outputDir, partitions);
  }

  /** Writes the fixture with bit 0 of the first qdata byte of the config's second block flipped. */
  public static void writeWithFlippedBit(
      SparkSession spark, long seed, int[] blockRows, Path outputDir, int partitions, String configId) {
    List<BlockRow> rows = new QuantizedFixture(seed).rows(blockRows);
    rows.get(secondBlock(rows, configId)).qdata()[0] ^= 1;
    QuantizedParquet.write(spark, rows, outputDir, partitions);
  }

  /** Writes the fixture without the config's second block. */
  public static void writeWithoutBlock(
      SparkSession spark, long seed, int[] blockRows, Path outputDir, int partitions, String configId) {
    List<BlockRow> rows = new QuantizedFixture(seed).rows(blockRows);
    rows.remove(secondBlock(rows, configId));
    QuantizedParquet.write(spark, rows, outputDir, partitions);
  }

  /** Appends a {@code metrics/} row that lists a weight as quantized, although {@code quantized/} has no blocks of it. */
  public static void listWithoutBlocks(SparkSession spark, Path outputDir, String configId, String tensor) {
    QuantizedParquet.writeMetrics(spark, List.of(RowFactory.create(configId, tensor, "quantized")), outputDir,
        SaveMode.Append);
  }

  /** Appends a {@code metrics/} row of a config that skipped {@code tensor} and has no blocks at all. */
  public static void addSkippedConfig(SparkSession spark, Path outputDir, String configId, String tensor) {
    QuantizedParquet.writeMetrics(spark, List.of(RowFactory.create(configId, tensor, "skipped")), outputDir,
        SaveMode.Append);
  }

  /** Rewrites {@code metrics/} with the weights of {@code configId} marked skipped; their blocks stay. */
  public static void unlistConfig(SparkSession spark, Path outputDir, String configId) {
    List<Row> metrics = new ArrayList<>();
    for (Row row : spark.read().parquet(outputDir.resolve("metrics").toString()).collectAsList()) {
      String status = row.getString(0).equals(configId) ? "skipped" : row.getString(2);
      metrics.add(RowFactory.create(row.getString(0), row.getString(1), status));
    }
    QuantizedParquet.writeMetrics(spark, metrics, outputDir, SaveMode.Overwrite);
  }

  private static int secondBlock(List<BlockRow> rows, String configId) {
    for (int index = 0; index < rows.size(); index++) {
      if (rows.get(index).configId().equals(configId)) {
        return index + 1;
      }
    }
    throw new IllegalArgumentException("no rows of config " + configId);
  }
}
