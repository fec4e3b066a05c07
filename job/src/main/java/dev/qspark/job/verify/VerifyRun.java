package dev.qspark.job.verify;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.job.output.MetricsSchema;
import dev.qspark.job.output.QuantizedSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Rereads a job's output and recomputes its metrics: executors rebuild, dequantize and compare their
 * own blocks of {@code quantized/} with the model ({@link BlockVerifier}), and the driver merges the
 * per-block sums and compares them with {@code metrics/} ({@link MetricsComparison}). Runs on the driver.
 */
public final class VerifyRun {

  private VerifyRun() {}

  /**
   * Verifies the output folder of a job.
   *
   * @param outputDir the job's output folder, with {@code quantized/} and {@code metrics/}
   * @param device the device arithmetic the job ran with, or null for each format's default
   * @return one result per config id, in id order
   */
  public static List<ConfigVerification> run(
      SparkSession spark, String outputDir, Checkpoint checkpoint, TorchaoRelease release, DeviceArithmetic device) {
    Map<String, TensorEntry> tensors = new HashMap<>();
    Map<String, Long> outFeatures = new HashMap<>();
    for (TensorEntry tensor : checkpoint.tensors()) {
      tensors.put(tensor.name(), tensor);
      outFeatures.put(tensor.name(), tensor.rowCount());
    }
    Map<String, String> hadoopConf = new HashMap<>();
    spark.sparkContext().hadoopConfiguration().forEach(entry -> hadoopConf.put(entry.getKey(), entry.getValue()));

    Dataset<Row> quantized = spark.read().schema(QuantizedSchema.SCHEMA).parquet(outputDir + "/quantized").select(columns(BlockVerifier.COLUMNS));
    int partitions = quantized.rdd().getNumPartitions();
    spark.sparkContext().setJobDescription("verify quantized blocks of " + outputDir + ": " + partitions
        + " partitions");
    List<BlockCheck> checks = quantized.javaRDD()
        .mapPartitions(new BlockVerifier(tensors, hadoopConf, release, device))
        .collect();

    spark.sparkContext().setJobDescription("read metrics of " + outputDir);
    List<StoredMetrics> metrics = new ArrayList<>();
    for (Row row : spark.read().schema(MetricsSchema.SCHEMA).parquet(outputDir + "/metrics")
        .select(columns(StoredMetrics.COLUMNS))
        .collectAsList()) {
      metrics.add(StoredMetrics.fromRow(row));
    }
    spark.sparkContext().setJobDescription(null);
    return MetricsComparison.compare(new ArrayList<>(checks), metrics, outFeatures);
  }

  private static Column[] columns(String[] names) {
    Column[] columns = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      columns[i] = functions.col(names[i]);
    }
    return columns;
  }
}
