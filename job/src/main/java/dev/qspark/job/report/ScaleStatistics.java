package dev.qspark.job.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.when;

import java.util.List;
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
    Dataset<Row> scales = quantized
        .select(col("config_id"), col("tensor"), explode(col("scale")).as("s"))
        .where(col("s").isNotNull());
    Dataset<Row> stats = scales.groupBy("config_id", "tensor").agg(
        count(lit(1)).as("count"),
        min("s").as("min"),
        max("s").as("max"),
        avg("s").as("mean"),
        stddev_pop("s").as("std"),
        percentile_approx(col("s"), lit(0.5), lit(10000)).as("median"))
        .orderBy("config_id", "tensor")
        .cache();

    CsvTable statsTable = new CsvTable("scale_stats",
        List.of("config_id", "tensor", "count", "min", "max", "mean", "std", "median"));
    for (Row row : stats.collectAsList()) {
      statsTable.addRow(row.getAs("config_id"), row.getAs("tensor"), row.getAs("count"),
          (double) row.<Float>getAs("min"), (double) row.<Float>getAs("max"), row.<Double>getAs("mean"),
          row.<Double>getAs("std"), (double) row.<Float>getAs("median"));
    }

    Dataset<Row> width = stats.select(col("config_id"), col("tensor"), col("min"), col("max"));
    Dataset<Row> binned = scales.join(width, new String[] {"config_id", "tensor"})
        .withColumn("bin", when(col("max").gt(col("min")),
            least(floor(col("s").minus(col("min")).divide(col("max").minus(col("min"))).multiply(HISTOGRAM_BINS)),
                lit(HISTOGRAM_BINS - 1)))
            .otherwise(lit(0L)))
        .groupBy("config_id", "tensor", "bin")
        .agg(count(lit(1)).as("count"), min("min").as("min"), max("max").as("max"))
        .orderBy("config_id", "tensor", "bin");

    CsvTable histogram = new CsvTable("scale_histogram",
        List.of("config_id", "tensor", "bin", "bin_start", "bin_end", "count"));
    for (Row row : binned.collectAsList()) {
      long bin = row.<Long>getAs("bin");
      double low = row.<Float>getAs("min");
      double high = row.<Float>getAs("max");
      double binWidth = (high - low) / HISTOGRAM_BINS;
      boolean single = high == low;
      histogram.addRow(row.getAs("config_id"), row.getAs("tensor"), bin,
          single ? low : low + bin * binWidth, single ? high : low + (bin + 1) * binWidth, row.getAs("count"));
    }
    stats.unpersist();
    spark.sparkContext().setJobDescription(null);
    return List.of(statsTable, histogram);
  }
}
