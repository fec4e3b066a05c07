import com.github.luben.zstd.Zstd;
import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.job.exec.BlockSums;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfigs;
import dev.qspark.kernels.simd.Kernels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Measures the CPU time per value of the steps a quantize task runs, in one thread, on one work unit
 * (8192 rows, or all rows of a smaller tensor) of {@code model.layers.3.mlp.up_proj.weight}. The
 * steps are: reading through Hadoop's checksummed and raw local file systems, widening bfloat16,
 * each kernel on a chunk that stays in cache, the whole-unit path against the chunked one, and
 * zstd-jni on the codes at levels 1, 3 and -1. Each figure is the median of 7 rounds after 3 warm-up
 * rounds.
 *
 * <p>Usage, from the repository root after a build:
 * {@code java --add-modules jdk.incubator.vector -cp job/target/qspark-job.jar:$(cat job/target/spark-classpath.txt)
 * job/bench/StageCosts.java MODEL}
 */
public class StageCosts {

  private static final String TENSOR = "model.layers.3.mlp.up_proj.weight";
  private static final int UNIT_ROWS = 8192;
  private static final int CHUNK_VALUES = 1 << 15;
  private static final int WARM_UP_ROUNDS = 3;
  private static final int ROUNDS = 7;
  private static final String[] CONFIGS = {
      "Int4WeightOnlyConfig(group_size=128)",
      "Int4WeightOnlyConfig(group_size=128, version=1)",
      "IntxWeightOnlyConfig(weight_dtype=torch.int8, mapping_type=MappingType.ASYMMETRIC, version=2)",
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerAxis(0), version=2)",
      "Int8WeightOnlyConfig(version=1)",
  };

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  interface Step {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    Checkpoint checkpoint = Checkpoint.open(args[0], conf, CheckpointOptions.DEFAULT);
    TensorEntry tensor = checkpoint.tensors().stream().filter(entry -> entry.name().equals(TENSOR)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Cannot measure " + args[0] + ": tensor " + TENSOR + " not found"));
    int inFeatures = Math.toIntExact(tensor.rowLength());
    int rows = (int) Math.min(UNIT_ROWS, tensor.shape()[0]);
    int values = rows * inFeatures;
    System.out.printf(Locale.ROOT, "unit: %d x %d %s values of %s (%s)%n", rows, inFeatures, tensor.dtype(), TENSOR,
        System.getProperty("java.version"));

    Path file = new Path(tensor.file());
    FileSystem checksummed = file.getFileSystem(conf);
    FileSystem raw = FileSystem.getLocal(conf).getRawFileSystem();
    byte[] unitBytes = new byte[values * 2];
    long position = tensor.begin();
    report("read, checksummed local file system", unitBytes.length, "byte", () -> readFully(checksummed, file, position, unitBytes));
    report("read, raw local file system", unitBytes.length, "byte", () -> readFully(raw, file, position, unitBytes));

    float[] unit = new float[values];
    float[] chunk = new float[CHUNK_VALUES];
    report("widen bfloat16 into a unit-sized array", values, "value",
        () -> Kernels.bfloat16Widening(KernelPath.selected()).widen(unitBytes, 0, values, unit, 0));
    report("widen bfloat16 into a chunk in cache", CHUNK_VALUES, "value",
        () -> Kernels.bfloat16Widening(KernelPath.selected()).widen(unitBytes, 0, CHUNK_VALUES, chunk, 0));

    int chunkRows = Math.max(1, CHUNK_VALUES / inFeatures);
    WeightBlock chunkBlock = new WeightBlock(java.util.Arrays.copyOf(unit, chunkRows * inFeatures), 0, chunkRows,
        tensor.shape()[0], inFeatures, FloatDtype.BFLOAT16);
    WeightBlock unitBlock = new WeightBlock(unit, 0, rows, tensor.shape()[0], inFeatures, FloatDtype.BFLOAT16);
    for (String text : CONFIGS) {
      WeightQuantizer quantizer = Quantizers.forConfig(
          QuantConfigs.parse(text, TorchaoRelease.V0_15, DeviceArithmetic.CUDA), KernelPath.selected());
      QuantizedBlock quantized = quantizer.quantize(chunkBlock, null);
      float[] dequantized = quantizer.dequantize(quantized, FloatDtype.BFLOAT16);
      int chunkValues = chunkBlock.values().length;
      System.out.println(text);
      report("  quantize a chunk in cache", chunkValues, "value", () -> quantizer.quantize(chunkBlock, null));
      float[] reused = new float[chunkValues];
      report("  dequantize a chunk in cache, into a reused array", chunkValues, "value",
          () -> quantizer.dequantize(quantized, FloatDtype.BFLOAT16, reused));
      report("  error sums of a chunk in cache", chunkValues, "value",
          () -> BlockSums.compare(chunkBlock.values(), dequantized, 0));
      report("  unit: read, decode, quantize, dequantize, compare whole", values, "value",
          () -> wholeUnit(quantizer, tensor, conf, rows));
      report("  unit: the same in chunks of rows, read chunk by chunk", values, "value",
          () -> chunkedUnit(quantizer, tensor, conf, rows, chunkRows));
      byte[] qdata = quantizer.quantize(unitBlock, null).qdata();
      byte[] compressed = new byte[(int) Zstd.compressBound(qdata.length)];
      for (int level : new int[] {1, 3, -1}) {
        long[] size = new long[1];
        report("  zstd-jni level " + level + " on the unit's qdata", qdata.length, "byte",
            () -> size[0] = Zstd.compressByteArray(compressed, 0, compressed.length, qdata, 0, qdata.length, level));
        System.out.printf(Locale.ROOT, "    compressed to %.3f of %d bytes%n", size[0] / (double) qdata.length, qdata.length);
      }
    }
  }

  private static void wholeUnit(WeightQuantizer quantizer, TensorEntry tensor, Configuration conf, int rows)
      throws Exception {
    try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), conf)) {
      WeightBlock block = new WeightBlock(reader.readRows(tensor, 0, rows), 0, rows, tensor.shape()[0],
          (int) tensor.rowLength(), FloatDtype.BFLOAT16);
      QuantizedBlock quantized = quantizer.quantize(block, null);
      BlockSums.compare(block.values(), quantizer.dequantize(quantized, FloatDtype.BFLOAT16), 0);
    }
  }

  private static void chunkedUnit(
      WeightQuantizer quantizer, TensorEntry tensor, Configuration conf, int rows, int chunkRows) throws Exception {
    int inFeatures = (int) tensor.rowLength();
    List<QuantizedBlock> parts = new ArrayList<>();
    float[] dequantized = new float[chunkRows * inFeatures];
    try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), conf)) {
      for (int row = 0; row < rows; row += chunkRows) {
        int count = Math.min(chunkRows, rows - row);
        WeightBlock block = new WeightBlock(reader.readRows(tensor, row, count), row, count, tensor.shape()[0],
            inFeatures, FloatDtype.BFLOAT16);
        QuantizedBlock quantized = quantizer.quantize(block, null);
        float[] out = count == chunkRows ? dequantized : null;
        BlockSums.compare(block.values(), quantizer.dequantize(quantized, FloatDtype.BFLOAT16, out), 0);
        parts.add(quantized);
      }
    }
    quantizer.join(parts);
  }

  private static void readFully(FileSystem fs, Path file, long position, byte[] bytes) throws Exception {
    try (FSDataInputStream in = fs.open(file)) {
      in.readFully(position, bytes, 0, bytes.length);
    }
  }

  /** Prints the median thread CPU time of a step per unit of {@code amount}, in nanoseconds. */
  private static void report(String label, long amount, String unit, Step step) throws Exception {
    long[] nanos = new long[ROUNDS];
    for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
      long repeats = Math.max(1, (1 << 24) / amount);
      long start = THREADS.getCurrentThreadCpuTime();
      for (long i = 0; i < repeats; i++) {
        step.run();
      }
      if (round >= 0) {
        nanos[round] = (THREADS.getCurrentThreadCpuTime() - start) / repeats;
      }
    }
    java.util.Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "%-62s %7.3f ns per %s%n", label, nanos[ROUNDS / 2] / (double) amount, unit);
  }
}
