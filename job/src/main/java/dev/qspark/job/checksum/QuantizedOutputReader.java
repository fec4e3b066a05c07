package dev.qspark.job.checksum;

import dev.qspark.job.output.QuantizedSchema;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a run's {@code quantized/} Parquet rows with Spark, sorted for {@link QuantizedChecksums}.
 * The driver receives one sorted partition at a time, so its memory needs room for one partition's
 * rows, not for the whole output.
 */
public final class QuantizedOutputReader {

  /** Folder of the quantized rows inside a run's output folder. */
  public static final String QUANTIZED_FOLDER = "quantized";

  private static final String[] COLUMNS = {
    "config_id", "config", "tensor", "row_start", "row_count", "shape", "block_size", "qdata", "scale",
    "zero_point", "qdata_dtype", "scale_dtype", "zero_point_dtype",
  };

  private QuantizedOutputReader() {}

  /**
   * Returns the rows of {@code outputDir/quantized}, ordered by config id, tensor and row start.
   *
   * @param outputDir a run's output folder, as a local path or Hadoop URI
   */
  public static Iterator<BlockRow> sortedRows(SparkSession spark, String outputDir) {
    Dataset<Row> rows = spark.read().schema(QuantizedSchema.SCHEMA).parquet(quantizedLocation(outputDir))
        .selectExpr(COLUMNS)
        .orderBy("config_id", "tensor", "row_start");
    Iterator<Row> sorted = rows.toLocalIterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return sorted.hasNext();
      }

      @Override
      public BlockRow next() {
        return toBlockRow(sorted.next());
      }
    };
  }

  /** Returns the location of the quantized rows inside a run's output folder. */
  public static String quantizedLocation(String outputDir) {
    return outputDir.replaceAll("/+$", "") + "/" + QUANTIZED_FOLDER;
  }

  private static BlockRow toBlockRow(Row row) {
    return new BlockRow(
        row.getString(0),
        row.getString(1),
        row.getString(2),
        row.getLong(3),
        row.getInt(4),
        row.<Long>getList(5).stream().mapToLong(Long::longValue).toArray(),
        row.<Integer>getList(6).stream().mapToInt(Integer::intValue).toArray(),
        (byte[]) row.get(7),
        floats(row.getList(8)),
        row.isNullAt(9) ? null : floats(row.getList(9)),
        row.getString(10),
        row.getString(11),
        row.isNullAt(12) ? null : row.getString(12));
  }

  private static float[] floats(List<Float> values) {
    float[] result = new float[values.size()];
    for (int index = 0; index < result.length; index++) {
      result[index] = values.get(index);
    }
    return result;
  }
}
