package dev.qspark.job.output;

import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** The write of {@code quantized/}: rows of {@link QuantizedSchema}, partitioned by config id. */
public final class QuantizedWrite {

  private QuantizedWrite() {}

  /**
   * Writes {@code rows} as Parquet to {@code path}, which must not exist, with one open writer per
   * config in each task.
   *
   * @param options the Parquet options, usually {@link QuantizedWriteSettings#parquetOptions()}
   */
  public static void write(SparkSession spark, JavaRDD<Row> rows, String path, QuantizedWriteSettings settings,
      Map<String, String> options) {
    settings.withConcurrentWriters(spark, () -> {
      // A Dataset of an RDD serializes each row once. createDataFrame would scan it as a LogicalRDD,
      // whose scan projects every row again: one more copy of each qdata value.
      spark.createDataset(rows.rdd(), Encoders.row(QuantizedSchema.SCHEMA))
          .write()
          .mode(SaveMode.ErrorIfExists)
          .options(options)
          .partitionBy(QuantizedSchema.CONFIG_ID)
          .parquet(path);
      return null;
    });
  }
}
