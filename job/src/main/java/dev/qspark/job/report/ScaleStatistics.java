package dev.qspark.job.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.stddev_pop;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Statistics and a histogram of the stored scales of each config and tensor, computed with Spark
 * from the {@code quantized/} table.
 *
 * <p>NOTE: every stored value counts, so a per-tensor scale, which each block stores once, counts
 * once per block.
 */
public final class ScaleStatistics {

  /** Equal-width bins between a tensor's smallest and largest scale. */
  public static final int HISTOGRAM_BINS = 32;

  private ScaleStatistics() {}

  /** Returns {@code scale_stats} (one row per config and tensor) and {@code scale_histogram} (one row per non-empty bin). */
  public static List<CsvTable> compute(SparkSession spark, Dataset<Row> quantized) {
    spark.sparkContext().setJobDescription("report: scale statistics");
    Dataset<Row> scales = scaleColumns(quantized)
        .select(col("config_id"), col("tensor"), explode(col("scale")).as("s"))
        .where(col("s").isNotNull());
    Dataset<Row> stats = scales.groupBy("config_id", "tensor").agg(
        count(lit(1)).as("count"),
        min("s").as("min"),
        max("s").as("max"),
        avg("s").as("mean"),
        stddev_pop("s").as("std"),
        percentile_approx(col("s"), lit(0.5), lit(10000)).as("median"))
        .orderBy("config_id", "tensor");

    CsvTable statsTable = new CsvTable("scale_stats",
        List.of("config_id", "tensor", "count", "min", "max", "mean", "std", "median"));
    List<Row> statsRows = stats.collectAsList();
    for (Row row : statsRows) {
      statsTable.addRow(row.getAs("config_id"), row.getAs("tensor"), row.getAs("count"),
          (double) row.<Float>getAs("min"), (double) row.<Float>getAs("max"), row.<Double>getAs("mean"),
          row.<Double>getAs("std"), (double) row.<Float>getAs("median"));
    }

    Map<ScaleHistogram.Group, float[]> ranges = new HashMap<>();
    for (Row row : statsRows) {
      ranges.put(new ScaleHistogram.Group(row.getAs("config_id"), row.getAs("tensor")),
          new float[] {row.<Float>getAs("min"), row.<Float>getAs("max")});
    }
    Map<ScaleHistogram.Group, long[]> binned = scaleColumns(quantized)
        .javaRDD()
        .mapPartitionsToPair(new ScaleHistogram(ranges))
        .reduceByKey(ScaleHistogram::add)
        .collectAsMap();

    CsvTable histogram = new CsvTable("scale_histogram",
        List.of("config_id", "tensor", "bin", "bin_start", "bin_end", "count"));
    for (Row row : statsRows) {
      String configId = row.getAs("config_id");
      String tensor = row.getAs("tensor");
      long[] counts = binned.get(new ScaleHistogram.Group(configId, tensor));
      double low = row.<Float>getAs("min");
      double high = row.<Float>getAs("max");
      double binWidth = (high - low) / HISTOGRAM_BINS;
      boolean single = high == low;
      for (int bin = 0; counts != null && bin < counts.length; bin++) {
        if (counts[bin] > 0) {
          histogram.addRow(configId, tensor, (long) bin,
              single ? low : low + bin * binWidth, single ? high : low + (bin + 1) * binWidth, counts[bin]);
        }
      }
    }
    spark.sparkContext().setJobDescription(null);
    return List.of(statsTable, histogram);
  }

  /**
   * Selects {@code config_id}, {@code tensor} and {@code scale}, so that the scan reads only those
   * columns and skips {@code qdata}, which contains nearly all of {@code quantized/}'s bytes.
   */
  static Dataset<Row> scaleColumns(Dataset<Row> quantized) {
    return quantized.select(col("config_id"), col("tensor"), col("scale"));
  }
}
