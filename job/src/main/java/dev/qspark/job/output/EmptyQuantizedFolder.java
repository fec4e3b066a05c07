package dev.qspark.job.output;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Keeps {@code quantized/} readable when no config quantized any tensor. Spark's partitioned writer
 * writes no file for an empty input, and a Parquet folder without files has no schema to infer, so
 * this writes one empty, unpartitioned Parquet file with {@link QuantizedSchema#SCHEMA}. Driver only.
 */
public final class EmptyQuantizedFolder {

  private EmptyQuantizedFolder() {}

  /**
   * Writes an empty Parquet file with the quantized schema into {@code folder} when the folder contains
   * no Parquet file.
   *
   * @return true when the empty file was written
   */
  public static boolean writeIfEmpty(SparkSession spark, FileSystem fs, Path folder, Map<String, String> options)
      throws IOException {
    if (containsParquet(fs, folder)) {
      return false;
    }
    spark.sparkContext().setJobDescription("write the empty quantized/ folder with its schema");
    spark.createDataFrame(List.<Row>of(), QuantizedSchema.SCHEMA)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .options(options)
        .parquet(folder.toString());
    return true;
  }

  /** Returns true when {@code folder} or a folder below it contains a {@code .parquet} file. */
  public static boolean containsParquet(FileSystem fs, Path folder) throws IOException {
    if (!fs.exists(folder)) {
      return false;
    }
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(folder, true);
    while (files.hasNext()) {
      if (files.next().getPath().getName().endsWith(".parquet")) {
        return true;
      }
    }
    return false;
  }
}
