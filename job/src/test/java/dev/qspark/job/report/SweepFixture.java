package dev.qspark.job.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.checkpoint.TensorName;
import dev.qspark.checkpoint.TensorSelection;
import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.ConfigIds;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a sweep folder in the job's output schema ({@code quantized/}, {@code metrics/},
 * {@code manifest.json}) from real quantization of a checkpoint with the kernels, so the report can
 * be tested before and independently of the Spark job. Blocks are {@link #BLOCK_ROWS} rows.
 */
public final class SweepFixture {

  static final int BLOCK_ROWS = 16;

  static final StructType QUANTIZED_SCHEMA = new StructType()
      .add("config", DataTypes.StringType)
      .add("tensor", DataTypes.StringType)
      .add("layer", DataTypes.IntegerType)
      .add("module", DataTypes.StringType)
      .add("row_start", DataTypes.LongType)
      .add("row_count", DataTypes.IntegerType)
      .add("shape", DataTypes.createArrayType(DataTypes.LongType))
      .add("block_size", DataTypes.createArrayType(DataTypes.IntegerType))
      .add("qdata", DataTypes.BinaryType)
      .add("scale", DataTypes.createArrayType(DataTypes.FloatType))
      .add("zero_point", DataTypes.createArrayType(DataTypes.FloatType))
      .add("qdata_dtype", DataTypes.StringType)
      .add("scale_dtype", DataTypes.StringType)
      .add("zero_point_dtype", DataTypes.StringType)
      .add("config_id", DataTypes.StringType);

  static final StructType METRICS_SCHEMA = new StructType()
      .add("config_id", DataTypes.StringType)
      .add("config", DataTypes.StringType)
      .add("tensor", DataTypes.StringType)
      .add("layer", DataTypes.IntegerType)
      .add("module", DataTypes.StringType)
      .add("module_type", DataTypes.StringType)
      .add("status", DataTypes.StringType)
      .add("reason", DataTypes.StringType)
      .add("elements", DataTypes.LongType)
      .add("bytes_in", DataTypes.LongType)
      .add("stored_bytes", DataTypes.LongType)
      .add("stored_bits_per_weight", DataTypes.DoubleType)
      .add("nominal_bits_per_weight", DataTypes.DoubleType)
      .add("mse", DataTypes.DoubleType)
      .add("sqnr_db", DataTypes.DoubleType)
      .add("max_abs_error", DataTypes.DoubleType)
      .add("relative_frobenius_error", DataTypes.DoubleType)
      .add("non_finite_count", DataTypes.LongType);

  private SweepFixture() {}

  /** Starts the local[2] SparkSession the report tests share, with the UI off and every address on 127.0.0.1. */
  public static SparkSession startSpark(String appName) {
    return SparkSession.builder()
        .appName(appName)
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  /** Returns the shared test data folder, from the system property Maven sets. */
  public static Path sharedDir() {
    String dir = System.getProperty("qspark.shared.dir");
    if (dir == null) {
      throw new IllegalStateException("Cannot find the test data: system property qspark.shared.dir is not set;"
          + " run the tests through Maven, which sets it to ../shared");
    }
    return Path.of(dir);
  }

  /** Quantizes every default target of {@code model} with each config (torchao 0.15) and writes the sweep to {@code out}. */
  public static void write(SparkSession spark, Path model, Path out, List<String> configTexts) throws IOException {
    Configuration conf = new Configuration();
    Checkpoint checkpoint = Checkpoint.open(model.toString(), conf, CheckpointOptions.DEFAULT);
    TensorSelection selection = TensorSelection.defaults();
    List<QuantConfig> configs = new ArrayList<>();
    for (String text : configTexts) {
      configs.add(QuantConfigs.parse(text, TorchaoRelease.V0_15, null));
    }
    List<String> ids = ConfigIds.assign(configs);

    List<Row> quantizedRows = new ArrayList<>();
    List<Row> metricRows = new ArrayList<>();
    for (int c = 0; c < configs.size(); c++) {
      QuantConfig config = configs.get(c);
      String id = ids.get(c);
      WeightQuantizer quantizer = Quantizers.forConfig(config);
      for (TensorEntry tensor : checkpoint.tensors()) {
        TensorName name = TensorName.parse(tensor.name());
        boolean target = tensor.rank() == 2 && selection.decide(tensor).isQuantize();
        if (!target) {
          metricRows.add(metric(id, config, tensor, name, "kept", "not a target", null, null));
          continue;
        }
        FloatDtype dtype = FloatDtype.fromTorchName(tensor.dtype() == dev.qspark.checkpoint.Dtype.BF16
            ? "bfloat16" : tensor.dtype() == dev.qspark.checkpoint.Dtype.F32 ? "float32" : "float16");
        Applicability applicability = quantizer.applicability(tensor.rowCount(), tensor.rowLength(), dtype);
        if (!applicability.isQuantized()) {
          String status = applicability.status() == Applicability.Status.SKIP ? "skipped" : "rejected";
          metricRows.add(metric(id, config, tensor, name, status, applicability.reason(), null, null));
          continue;
        }
        float[] values;
        try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), conf)) {
          values = reader.readRows(tensor, 0, (int) tensor.rowCount());
        }
        int inFeatures = (int) tensor.rowLength();
        WeightQuantizer.StorageInfo storage = quantizer.storageInfo(dtype, inFeatures);
        double[] sums = new double[4];
        long storedBytes = 0;
        for (int rowStart = 0; rowStart < tensor.rowCount(); rowStart += BLOCK_ROWS) {
          int rowCount = (int) Math.min(BLOCK_ROWS, tensor.rowCount() - rowStart);
          float[] blockValues = Arrays.copyOfRange(values, rowStart * inFeatures, (rowStart + rowCount) * inFeatures);
          WeightBlock block = new WeightBlock(blockValues, rowStart, rowCount, tensor.rowCount(), inFeatures, dtype);
          QuantizedBlock quantized = quantizer.quantize(block, null);
          float[] dequantized = quantizer.dequantize(quantized, dtype);
          for (int i = 0; i < blockValues.length; i++) {
            double error = (double) dequantized[i] - blockValues[i];
            sums[0] += error * error;
            sums[1] += (double) blockValues[i] * blockValues[i];
            sums[2] = Math.max(sums[2], Math.abs(error));
          }
          storedBytes += quantized.qdata().length + (long) quantized.scale().length * bits(storage.scaleDtype()) / 8
              + (quantized.zeroPoint() == null ? 0 : (long) quantized.zeroPoint().length * bits(storage.zeroPointDtype()) / 8);
          quantizedRows.add(RowFactory.create(config.canonical(), tensor.name(), name.layer(), name.module(),
              (long) rowStart, rowCount, Arrays.asList(tensor.rowCount(), tensor.rowLength()),
              Arrays.asList(storage.blockSize()[0], storage.blockSize()[1]), quantized.qdata(),
              boxed(quantized.scale()), quantized.zeroPoint() == null ? null : boxed(quantized.zeroPoint()),
              storage.qdataDtype(), storage.scaleDtype(), storage.zeroPointDtype(), id));
        }
        metricRows.add(metric(id, config, tensor, name, "quantized", "", new long[] {storedBytes},
            new double[] {sums[0], sums[1], sums[2], nominalBits(storage)}));
      }
    }

    spark.createDataFrame(quantizedRows, QUANTIZED_SCHEMA).write().partitionBy("config_id")
        .parquet(out.resolve("quantized").toString());
    spark.createDataFrame(metricRows, METRICS_SCHEMA).coalesce(1).write().parquet(out.resolve("metrics").toString());
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = json.createObjectNode().put("torchao_release", "0.15").put("model", model.toString());
    ArrayNode configNodes = manifest.putArray("configs");
    for (int c = 0; c < configs.size(); c++) {
      configNodes.addObject().put("config_id", ids.get(c)).put("config", configs.get(c).canonical())
          .put("device_arithmetic", configs.get(c).deviceArithmetic().label());
    }
    Files.writeString(out.resolve("manifest.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
  }

  /**
   * @param stored the stored bytes, or null unless quantized
   * @param errors squared error sum, signal power sum, max absolute error, nominal bits per weight
   */
  private static Row metric(String id, QuantConfig config, TensorEntry tensor, TensorName name, String status,
      String reason, long[] stored, double[] errors) {
    long elements = tensor.elementCount();
    Long storedBytes = stored == null ? null : stored[0];
    Double mse = null;
    Double sqnr = null;
    Double maxAbs = null;
    Double relative = null;
    Double nominal = null;
    if (errors != null) {
      mse = errors[0] / elements;
      sqnr = 10 * Math.log10(errors[1] / errors[0]);
      maxAbs = errors[2];
      relative = Math.sqrt(errors[0] / errors[1]);
      nominal = errors[3];
    }
    return RowFactory.create(id, config.canonical(), tensor.name(), name.layer(), name.module(), name.moduleType(),
        status, reason, elements, tensor.byteLength(), storedBytes,
        storedBytes == null ? null : 8.0 * storedBytes / elements, nominal, mse, sqnr, maxAbs, relative,
        errors == null ? null : 0L);
  }

  /** Returns the value bits plus the qparam bits per weight: one scale, and a zero point where stored, per group. */
  private static double nominalBits(WeightQuantizer.StorageInfo storage) {
    double paramBits = bits(storage.scaleDtype()) + (storage.zeroPointDtype() == null ? 0 : bits(storage.zeroPointDtype()));
    return bits(storage.qdataDtype()) + paramBits / storage.blockSize()[1];
  }

  /** Bits of a bare torch dtype name: the number it ends with ({@code int4}, {@code uint6}, {@code bfloat16}). */
  private static int bits(String dtype) {
    int start = dtype.length();
    while (start > 0 && Character.isDigit(dtype.charAt(start - 1))) {
      start--;
    }
    return Integer.parseInt(dtype.substring(start));
  }

  private static List<Float> boxed(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float value : values) {
      list.add(value);
    }
    return list;
  }
}
