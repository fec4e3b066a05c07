package dev.qspark.job.checksum;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes {@link BlockRow}s as a run's output folder: {@code quantized/}, Parquet partitioned by
 * {@code config_id}; a {@code metrics/} folder with the three columns that checksum reads, one
 * {@code quantized} row per config and tensor of the blocks; and {@code _SUCCESS}.
 */
final class QuantizedParquet {

  /** The fixed {@code quantized/} schema, with the partition column first as the job builds rows. */
  static final StructType SCHEMA = new StructType()
      .add("config_id", DataTypes.StringType, false)
      .add("config", DataTypes.StringType, false)
      .add("tensor", DataTypes.StringType, false)
      .add("layer", DataTypes.IntegerType, true)
      .add("module", DataTypes.StringType, false)
      .add("row_start", DataTypes.LongType, false)
      .add("row_count", DataTypes.IntegerType, false)
      .add("shape", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("block_size", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("qdata", DataTypes.BinaryType, false)
      .add("scale", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("zero_point", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("qdata_dtype", DataTypes.StringType, false)
      .add("scale_dtype", DataTypes.StringType, false)
      .add("zero_point_dtype", DataTypes.StringType, true);

  /** The columns of {@code metrics/} that checksum reads. */
  static final StructType METRICS_SCHEMA = new StructType()
      .add("config_id", DataTypes.StringType, false)
      .add("tensor", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false);

  private QuantizedParquet() {}

  /** Writes {@code rows} to {@code outputDir/quantized} from {@code partitions} shuffled Spark partitions. */
  static void write(SparkSession spark, List<BlockRow> rows, Path outputDir, int partitions) {
    List<Row> sparkRows = new ArrayList<>();
    for (BlockRow row : rows) {
      sparkRows.add(RowFactory.create(row.configId(), row.config(), row.tensor(), 0, "mlp", row.rowStart(),
          row.rowCount(), boxed(row.shape()), boxed(row.blockSize()), row.qdata(), boxed(row.scale()),
          row.zeroPoint() == null ? null : boxed(row.zeroPoint()), row.qdataDtype(), row.scaleDtype(),
          row.zeroPointDtype()));
    }
    spark.createDataFrame(sparkRows, SCHEMA)
        .repartition(partitions)
        .write()
        .partitionBy("config_id")
        .parquet(outputDir.resolve("quantized").toString());
    Set<List<String>> weights = new LinkedHashSet<>();
    rows.forEach(row -> weights.add(List.of(row.configId(), row.tensor())));
    List<Row> metrics = new ArrayList<>();
    weights.forEach(weight -> metrics.add(RowFactory.create(weight.get(0), weight.get(1), "quantized")));
    writeMetrics(spark, metrics, outputDir, SaveMode.ErrorIfExists);
    try {
      // A finished run marks its folder with _SUCCESS, as the job's commit does.
      java.nio.file.Files.createFile(outputDir.resolve("_SUCCESS"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes {@code rows} of {@link #METRICS_SCHEMA} to {@code outputDir/metrics} in {@code mode}. */
  static void writeMetrics(SparkSession spark, List<Row> rows, Path outputDir, SaveMode mode) {
    spark.createDataFrame(rows, METRICS_SCHEMA).coalesce(1).write().mode(mode)
        .parquet(outputDir.resolve("metrics").toString());
  }

  private static Long[] boxed(long[] values) {
    Long[] boxed = new Long[values.length];
    for (int index = 0; index < values.length; index++) {
      boxed[index] = values[index];
    }
    return boxed;
  }

  private static Integer[] boxed(int[] values) {
    Integer[] boxed = new Integer[values.length];
    for (int index = 0; index < values.length; index++) {
      boxed[index] = values[index];
    }
    return boxed;
  }

  private static Float[] boxed(float[] values) {
    Float[] boxed = new Float[values.length];
    for (int index = 0; index < values.length; index++) {
      boxed[index] = values[index];
    }
    return boxed;
  }
}
