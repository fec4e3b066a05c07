package dev.qspark.job.verify;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.checkpoint.TensorSelection;
import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.WeightQuantizer.StorageInfo;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a job output folder in the job's schema from a real quantization of a checkpoint, for
 * testing verify without the job: blocks of {@link #BLOCK_ROWS} rows in {@code quantized/}, one
 * {@code metrics/} row per config and tensor, a {@code manifest.json} with the release, and the
 * {@code _SUCCESS} file of a finished run.
 */
final class OutputFixture {

  static final int BLOCK_ROWS = 16;

  static final StructType QUANTIZED_SCHEMA = new StructType()
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

  static final StructType METRICS_SCHEMA = new StructType()
      .add("config_id", DataTypes.StringType, false)
      .add("config", DataTypes.StringType, false)
      .add("tensor", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, true)
      .add("elements", DataTypes.LongType, false)
      .add("mse", DataTypes.DoubleType, true)
      .add("sqnr_db", DataTypes.DoubleType, true)
      .add("max_abs_error", DataTypes.DoubleType, true)
      .add("relative_frobenius_error", DataTypes.DoubleType, true)
      .add("non_finite_count", DataTypes.LongType, true);

  private final SparkSession spark;
  private final Checkpoint checkpoint;
  private final TorchaoRelease release;
  private final Map<String, String> configsById;

  /** @param configsById config text in torchao syntax, by the config id to store it under */
  OutputFixture(SparkSession spark, Path model, TorchaoRelease release, Map<String, String> configsById)
      throws IOException {
    this.spark = spark;
    this.checkpoint = Checkpoint.open(model.toString(), new Configuration(), CheckpointOptions.DEFAULT);
    this.release = release;
    this.configsById = configsById;
  }

  /**
   * Writes the folder, passing the rows of {@code quantized/} and {@code metrics/} through the edits
   * first, so that a test can damage them.
   */
  void write(Path dir, UnaryOperator<List<Row>> quantizedEdit, UnaryOperator<List<Row>> metricsEdit)
      throws IOException {
    List<Row> quantized = new ArrayList<>();
    List<Row> metrics = new ArrayList<>();
    TensorSelection selection = TensorSelection.defaults();
    for (Map.Entry<String, String> idAndText : configsById.entrySet()) {
      QuantConfig config = QuantConfigs.parse(idAndText.getValue(), release, null);
      WeightQuantizer quantizer = Quantizers.forConfig(config);
      for (TensorEntry tensor : checkpoint.tensors()) {
        String configId = idAndText.getKey();
        if (!selection.decide(tensor).isQuantize()) {
          metrics.add(unquantized(configId, config, tensor, "kept", "not a target"));
          continue;
        }
        FloatDtype dtype = FloatDtype.fromTorchName(tensor.dtype() == dev.qspark.checkpoint.Dtype.BF16
            ? "bfloat16"
            : "float32");
        Applicability applicability = quantizer.applicability(tensor.rowCount(), tensor.rowLength(), dtype);
        if (!applicability.isQuantized()) {
          String status = applicability.status() == Applicability.Status.SKIP ? "skipped" : "rejected";
          metrics.add(unquantized(configId, config, tensor, status, applicability.reason()));
          continue;
        }
        metrics.add(quantizeTensor(configId, config, quantizer, tensor, dtype, quantized));
      }
    }
    spark.createDataFrame(quantizedEdit.apply(quantized), QUANTIZED_SCHEMA)
        .write().partitionBy("config_id").parquet(dir.resolve("quantized").toString());
    spark.createDataFrame(metricsEdit.apply(metrics), METRICS_SCHEMA)
        .coalesce(1).write().parquet(dir.resolve("metrics").toString());
    Files.writeString(dir.resolve("manifest.json"),
        "{\"torchao_release\": \"" + release.label() + "\", \"device_arithmetic\": \"default\"}\n");
    Files.createFile(dir.resolve("_SUCCESS"));
  }

  private Row quantizeTensor(String configId, QuantConfig config, WeightQuantizer quantizer, TensorEntry tensor,
      FloatDtype dtype, List<Row> quantized) throws IOException {
    int inFeatures = (int) tensor.rowLength();
    float[] whole;
    try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), new Configuration())) {
      whole = reader.readRows(tensor, 0, (int) tensor.rowCount());
    }
    TensorRange range = TensorRange.of(whole);
    StorageInfo storage = quantizer.storageInfo(dtype, inFeatures);
    double squaredError = 0;
    double signalPower = 0;
    double maxAbsError = 0;
    for (int rowStart = 0; rowStart < tensor.rowCount(); rowStart += BLOCK_ROWS) {
      int rowCount = (int) Math.min(BLOCK_ROWS, tensor.rowCount() - rowStart);
      float[] values = new float[rowCount * inFeatures];
      System.arraycopy(whole, rowStart * inFeatures, values, 0, values.length);
      WeightBlock block = new WeightBlock(values, rowStart, rowCount, tensor.rowCount(), inFeatures, dtype);
      QuantizedBlock result = quantizer.quantize(block, range);
      float[] dequantized = quantizer.dequantize(result, dtype);
      for (int i = 0; i < values.length; i++) {
        double error = (double) dequantized[i] - values[i];
        squaredError += error * error;
        signalPower += (double) values[i] * values[i];
        maxAbsError = Math.max(maxAbsError, Math.abs(error));
      }
      quantized.add(RowFactory.create(configId, config.canonical(), tensor.name(), null, "module",
          (long) rowStart, rowCount, boxed(tensor.shape()), boxed(storage.blockSize()), result.qdata(),
          boxed(result.scale()), result.zeroPoint() == null ? null : boxed(result.zeroPoint()),
          storage.qdataDtype(), storage.scaleDtype(), storage.zeroPointDtype()));
    }
    long elements = tensor.elementCount();
    return RowFactory.create(configId, config.canonical(), tensor.name(), "quantized", null, elements,
        squaredError / elements, 10 * Math.log10(signalPower / squaredError), maxAbsError,
        Math.sqrt(squaredError / signalPower), 0L);
  }

  private static Row unquantized(String configId, QuantConfig config, TensorEntry tensor, String status,
      String reason) {
    return RowFactory.create(configId, config.canonical(), tensor.name(), status, reason, tensor.elementCount(),
        null, null, null, null, null);
  }

  private static Object[] boxed(long[] values) {
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static Object[] boxed(int[] values) {
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static Object[] boxed(float[] values) {
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
