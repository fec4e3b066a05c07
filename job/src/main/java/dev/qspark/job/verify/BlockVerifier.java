package dev.qspark.job.verify;

import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * The verify stage's task body: rebuilds each stored block of a partition with
 * {@link WeightQuantizer#fromStored}, dequantizes it, reads the block's original rows from the
 * model and returns the error sums. A block that cannot be rebuilt or does not match the model
 * becomes a failed {@link BlockCheck} instead of failing the task, so verify reports every bad block.
 *
 * <p>Expects the rows of {@code quantized/} with the columns {@link #COLUMNS}, in that order.
 */
public final class BlockVerifier implements FlatMapFunction<Iterator<Row>, BlockCheck> {

  private static final long serialVersionUID = 1L;

  /** The columns of {@code quantized/} this stage reads, in the order it reads them. */
  public static final String[] COLUMNS = {
    "config_id", "config", "tensor", "row_start", "row_count", "shape", "qdata", "scale", "zero_point"
  };

  private final HashMap<String, TensorEntry> tensors;
  private final HashMap<String, String> hadoopConf;
  private final TorchaoRelease release;
  private final DeviceArithmetic device;

  /**
   * @param tensors the model's tensors by name, from its headers
   * @param hadoopConf the driver's Hadoop configuration entries, rebuilt on executors to open the model files
   * @param device the device arithmetic the job ran with, or null for each format's default
   */
  public BlockVerifier(
      Map<String, TensorEntry> tensors, Map<String, String> hadoopConf, TorchaoRelease release,
      DeviceArithmetic device) {
    this.tensors = new HashMap<>(tensors);
    this.hadoopConf = new HashMap<>(hadoopConf);
    this.release = release;
    this.device = device;
  }

  @Override
  public Iterator<BlockCheck> call(Iterator<Row> rows) throws IOException {
    Configuration conf = new Configuration(false);
    hadoopConf.forEach(conf::set);
    Map<String, WeightQuantizer> quantizers = new HashMap<>();
    Map<String, TensorBlockReader> readers = new HashMap<>();
    List<BlockCheck> checks = new ArrayList<>();
    try {
      while (rows.hasNext()) {
        checks.add(check(rows.next(), quantizers, readers, conf));
      }
    } finally {
      for (TensorBlockReader reader : readers.values()) {
        reader.close();
      }
    }
    return checks.iterator();
  }

  private BlockCheck check(
      Row row, Map<String, WeightQuantizer> quantizers, Map<String, TensorBlockReader> readers, Configuration conf) {
    String configId = row.getString(0);
    String config = row.getString(1);
    String tensorName = row.getString(2);
    long rowStart = row.getLong(3);
    int rowCount = row.getInt(4);
    TensorEntry tensor = tensors.get(tensorName);
    if (tensor == null) {
      return failed(configId, config, tensorName, rowStart, rowCount, "tensor not found in the model");
    }
    long[] storedShape = longs(row.getList(5));
    if (!Arrays.equals(storedShape, tensor.shape())) {
      return failed(configId, config, tensorName, rowStart, rowCount, "stored shape "
          + Arrays.toString(storedShape) + " differs from the model's " + tensor.shapeString());
    }
    FloatDtype dtype = floatDtype(tensor);
    if (dtype == null) {
      return failed(configId, config, tensorName, rowStart, rowCount,
          "the model stores it as " + tensor.dtype() + ", not F32, BF16 or F16");
    }
    try {
      WeightQuantizer quantizer = quantizers.computeIfAbsent(
          config, text -> Quantizers.forConfig(QuantConfigs.parse(text, release, device)));
      QuantizedBlock block = quantizer.fromStored(
          rowCount, Math.toIntExact(tensor.rowLength()), (byte[]) row.get(6), floats(row.getList(7)),
          row.isNullAt(8) ? null : floats(row.getList(8)));
      float[] dequantized = quantizer.dequantize(block, dtype);
      float[] input = reader(tensor, readers, conf).readRows(tensor, rowStart, rowCount);
      return new BlockCheck(configId, config, tensorName, rowStart, rowCount,
          ErrorSums.compare(input, dequantized), null);
    } catch (IllegalArgumentException | UnsupportedOperationException | ArithmeticException e) {
      return failed(configId, config, tensorName, rowStart, rowCount, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read rows [" + rowStart + ", " + (rowStart + rowCount)
          + ") of tensor " + tensorName + " from " + tensor.file() + ": " + e.getMessage(), e);
    }
  }

  private static TensorBlockReader reader(
      TensorEntry tensor, Map<String, TensorBlockReader> readers, Configuration conf) throws IOException {
    TensorBlockReader reader = readers.get(tensor.file());
    if (reader == null) {
      reader = new TensorBlockReader(tensor.file(), conf);
      readers.put(tensor.file(), reader);
    }
    return reader;
  }

  private static BlockCheck failed(
      String configId, String config, String tensor, long rowStart, int rowCount, String failure) {
    return new BlockCheck(configId, config, tensor, rowStart, rowCount, null, failure);
  }

  private static FloatDtype floatDtype(TensorEntry tensor) {
    switch (tensor.dtype()) {
      case F32:
        return FloatDtype.FLOAT32;
      case BF16:
        return FloatDtype.BFLOAT16;
      case F16:
        return FloatDtype.FLOAT16;
      default:
        return null;
    }
  }

  private static long[] longs(List<Object> values) {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).longValue();
    }
    return out;
  }

  private static float[] floats(List<Object> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Float) values.get(i);
    }
    return out;
  }
}
