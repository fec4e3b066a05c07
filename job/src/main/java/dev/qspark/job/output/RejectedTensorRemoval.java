package dev.qspark.job.output;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the blocks of tensors rejected while running (non-finite values found in some blocks) from
 * the temporary {@code quantized/} folder, by rewriting only the affected {@code config_id} partitions
 * before the commit. A rare path: other blocks of such a tensor were already written by other tasks.
 */
public final class RejectedTensorRemoval {

  private static final Logger LOG = LoggerFactory.getLogger(RejectedTensorRemoval.class);

  private RejectedTensorRemoval() {}

  /**
   * Rewrites each listed config's partition without the listed tensors.
   *
   * @param rejected tensor names by config id
   */
  public static void remove(
      SparkSession spark, OutputFolder output, Map<String, Set<String>> rejected, Map<String, String> writeOptions)
      throws IOException {
    FileSystem fs = output.fileSystem();
    for (Map.Entry<String, Set<String>> entry : rejected.entrySet()) {
      String partitionName = QuantizedSchema.CONFIG_ID + "=" + entry.getKey();
      Path partition = new Path(output.temporary(OutputFolder.QUANTIZED), partitionName);
      if (!fs.exists(partition)) {
        continue;
      }
      Path rewritten = new Path(output.temporary("_rewrite"), partitionName);
      spark.sparkContext().setJobDescription(
          "remove " + entry.getValue().size() + " rejected tensors from " + partitionName);
      Dataset<Row> kept =
          spark.read().parquet(partition.toString())
              .filter(functions.not(functions.col(QuantizedSchema.TENSOR).isin(entry.getValue().toArray())));
      kept.write().options(writeOptions).parquet(rewritten.toString());
      if (!fs.delete(partition, true) || !fs.rename(rewritten, partition)) {
        throw new IOException("Cannot replace " + partition + " with its rewrite " + rewritten);
      }
      LOG.info("Removed the blocks of {} rejected tensors from {}", entry.getValue().size(), partitionName);
    }
    fs.delete(output.temporary("_rewrite"), true);
  }
}
