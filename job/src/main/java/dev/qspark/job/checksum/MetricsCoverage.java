package dev.qspark.job.checksum;

import dev.qspark.job.output.MetricsSchema;
import dev.qspark.job.output.OutputFolder;
import dev.qspark.job.output.QuantizedSchema;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Checks that a run's {@code quantized/} contains blocks of exactly the weights that its {@code metrics/}
 * lists as quantized. The checksums alone notice missing rows within a weight, but not a weight whose
 * blocks are all missing, as when a data file of {@code quantized/} was deleted.
 */
public final class MetricsCoverage {

  /** Weights named in an error message; the count covers the rest. */
  static final int NAMED_WEIGHTS = 3;

  private MetricsCoverage() {}

  /**
   * Compares the config ids and tensor names of both folders of {@code outputDir}.
   *
   * @return the config ids that {@code metrics/} lists, quantizing or not, in id order
   * @throws IllegalArgumentException when a weight has blocks but is not listed as quantized, or is
   *     listed as quantized but has no blocks
   */
  public static List<String> check(SparkSession spark, String outputDir) {
    Dataset<Row> stored = spark.read().schema(QuantizedSchema.SCHEMA)
        .parquet(new Path(outputDir, OutputFolder.QUANTIZED).toString())
        .select("config_id", "tensor")
        .distinct();
    // With the schema given, a metrics/ folder without data files reads as empty instead of failing.
    StructType metricsColumns = new StructType(new StructField[] {
      MetricsSchema.SCHEMA.apply("config_id"), MetricsSchema.SCHEMA.apply("tensor"), MetricsSchema.SCHEMA.apply("status")
    });
    Dataset<Row> metrics = spark.read().schema(metricsColumns)
        .parquet(new Path(outputDir, OutputFolder.METRICS).toString());
    Dataset<Row> listed = metrics.where(functions.col("status").equalTo("quantized")).select("config_id", "tensor");
    List<Row> missing = listed.except(stored).orderBy("config_id", "tensor").collectAsList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(OutputFolder.QUANTIZED + "/ has no blocks of " + count(missing)
          + " that " + OutputFolder.METRICS + "/ lists as quantized (" + named(missing) + "), so the output is"
          + " incomplete, for example because a data file was deleted; rerun the job");
    }
    List<Row> unlisted = stored.except(listed).orderBy("config_id", "tensor").collectAsList();
    if (!unlisted.isEmpty()) {
      throw new IllegalArgumentException(OutputFolder.QUANTIZED + "/ has blocks of " + count(unlisted)
          + " that " + OutputFolder.METRICS + "/ does not list as quantized (" + named(unlisted) + "), so the two"
          + " folders do not come from the same run; rerun the job");
    }
    return metrics.select("config_id").distinct().orderBy("config_id").collectAsList().stream()
        .map(row -> row.getString(0))
        .collect(Collectors.toList());
  }

  private static String count(List<Row> weights) {
    return weights.size() == 1 ? "1 weight" : weights.size() + " weights";
  }

  private static String named(List<Row> weights) {
    String names = weights.stream()
        .limit(NAMED_WEIGHTS)
        .map(row -> row.getString(0) + " " + row.getString(1))
        .collect(Collectors.joining(", "));
    return weights.size() > NAMED_WEIGHTS ? names + ", ..." : names;
  }
}
