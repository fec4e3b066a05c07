package dev.qspark.udfs;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.Dtype;
import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.checkpoint.TensorSelection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The weights of a checkpoint as a table whose columns are the SQL functions' arguments: one row per
 * tensor that a selection quantizes, with {@code tensor string}, {@code values array<float>} (the
 * whole weight, row-major), {@code in_features int} and {@code dtype string}. The driver reads only
 * the headers; each task reads its tensors, so a weight must fit one Java array.
 */
public final class WeightsView {

  public static final StructType SCHEMA = new StructType()
      .add("tensor", DataTypes.StringType, false)
      .add("values", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("in_features", DataTypes.IntegerType, false)
      .add("dtype", DataTypes.StringType, false);

  private WeightsView() {}

  /** Returns the selected weights of {@code checkpoint}, one tensor per Spark partition. */
  public static Dataset<Row> of(SparkSession spark, Checkpoint checkpoint, TensorSelection selection) {
    List<TensorEntry> targets = new ArrayList<>();
    for (TensorEntry tensor : checkpoint.tensors()) {
      if (selection.decide(tensor).isQuantize()) {
        targets.add(tensor);
      }
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
    JavaRDD<Row> rows = sc.parallelize(targets, Math.max(1, targets.size())).map(tensor -> row(tensor, conf.value()));
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static Row row(TensorEntry tensor, Configuration conf) throws IOException {
    if (tensor.elementCount() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("Cannot read tensor " + tensor.name() + " of " + tensor.file() + " into one"
          + " row: its " + tensor.elementCount() + " values do not fit a Java array");
    }
    try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), conf)) {
      float[] values = reader.readRows(tensor, 0, (int) tensor.rowCount());
      return RowFactory.create(tensor.name(), values, (int) tensor.rowLength(), dtypeName(tensor.dtype()));
    }
  }

  /** Returns the {@code dtype} argument of the SQL functions for a decodable safetensors dtype. */
  static String dtypeName(Dtype dtype) {
    return switch (dtype) {
      case F32 -> "float32";
      case BF16 -> "bfloat16";
      case F16 -> "float16";
      default -> throw new IllegalArgumentException("Unsupported dtype " + dtype + ": the SQL functions take"
          + " F32, BF16 and F16 weights");
    };
  }
}
