package dev.qspark.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.checkpoint.SafetensorsWriter;
import dev.qspark.job.cli.QsparkCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors read their own byte ranges of the checkpoint. A 640 MiB checkpoint is quantized on a
 * two-worker cluster by a driver whose heap is 512 MiB, which could not contain the weights, and the
 * driver's live heap after each garbage collection stays far below the checkpoint size.
 */
@Tag("cluster")
class LargeCheckpointClusterTest {

  private static final int LAYERS = 10;
  private static final int ROWS = 4096;
  private static final int COLUMNS = 4096;
  private static final long CHECKPOINT_BYTES = 2L * LAYERS * 2 * ROWS * COLUMNS;
  private static final String DRIVER_HEAP = "512m";
  /**
   * Executor heap: Spark's 300 MiB reserve, a Parquet row group of up to 128 MiB buffered before it is
   * written, and one 32 MiB bf16 unit with its float32 copy, codes and dequantized values.
   */
  private static final String EXECUTOR_HEAP = "1400m";
  private static final String WORKER_MEMORY = "1536m";
  /** Ceiling on the driver's live heap after a collection: a quarter of the checkpoint. */
  private static final long MAX_DRIVER_LIVE_MIB = CHECKPOINT_BYTES / 4 / (1 << 20);
  private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  @TempDir static Path work;

  private static Path stateDir;
  private static String masterUrl;

  @BeforeAll
  static void startCluster() {
    stateDir = work.resolve("cluster");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine commandLine = QsparkCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute("cluster", "up", "--workers", "2", "--cores", "1", "--memory", WORKER_MEMORY,
        "--state-dir", stateDir.toString());
    assertThat(exitCode).as(err.toString()).isZero();
    masterUrl = out.toString().strip();
  }

  @AfterAll
  static void stopCluster() {
    int exitCode = QsparkCommand.commandLine().execute("cluster", "down", "--state-dir", stateDir.toString());
    assertThat(exitCode).isZero();
  }

  @Test
  void smallDriverQuantizesLargerCheckpoint() throws Exception {
    Path model = work.resolve("model");
    writeCheckpoint(model.resolve("model.safetensors"));
    Path out = work.resolve("out");
    Path gcLog = work.resolve("driver-gc.log");

    QsparkProcess.runSuccessfully(work.resolve("run.log"), Duration.ofMinutes(8), List.of(
        "submit", "--master", masterUrl, "--driver-memory", DRIVER_HEAP, "--executor-memory", EXECUTOR_HEAP,
        "--driver-java-options", "-Xlog:gc:file=" + gcLog, "--conf", "spark.ui.enabled=false", "--",
        "quantize", "--model", model.toString(), "--config", "Int8WeightOnlyConfig(version=1)",
        "--out", out.toString()));

    assertThat(Files.size(model.resolve("model.safetensors"))).isGreaterThan(CHECKPOINT_BYTES);
    assertThat(out.resolve("_SUCCESS")).exists();
    long maxLiveMib = maxLiveHeapMib(gcLog);
    System.out.printf("Driver heap %s: max live heap after GC %d MiB for a %d MiB checkpoint%n", DRIVER_HEAP,
        maxLiveMib, CHECKPOINT_BYTES >> 20);
    assertThat(maxLiveMib).isLessThan(MAX_DRIVER_LIVE_MIB);
  }

  /** Returns the largest heap occupancy after a collection in a {@code -Xlog:gc} file, in MiB. */
  private static long maxLiveHeapMib(Path gcLog) throws IOException {
    long max = -1;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher matcher = GC_HEAP.matcher(line);
      if (matcher.find()) {
        max = Math.max(max, Long.parseLong(matcher.group(2)));
      }
    }
    assertThat(max).as("collections logged in " + gcLog).isGreaterThanOrEqualTo(0);
    return max;
  }

  /** Writes LAYERS layers of two bf16 [ROWS, COLUMNS] linear weights, streamed, never whole in memory. */
  private static void writeCheckpoint(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    SafetensorsWriter writer = new SafetensorsWriter(file);
    long[] shape = {ROWS, COLUMNS};
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String module : List.of("mlp.down_proj", "mlp.up_proj")) {
        int seed = layer * 2 + (module.equals("mlp.up_proj") ? 1 : 0);
        writer.add("model.layers." + layer + "." + module + ".weight", "BF16", shape, target -> writeBf16(target, seed));
      }
    }
    writer.write();
  }

  /**
   * Writes ROWS x COLUMNS finite bf16 values from an xorshift generator: random sign and mantissa,
   * exponents for magnitudes between 2^-8 and 1.
   */
  private static void writeBf16(OutputStream target, int seed) throws IOException {
    byte[] row = new byte[2 * COLUMNS];
    int state = 0x9E3779B9 ^ (seed * 0x85EBCA6B);
    for (int rowIndex = 0; rowIndex < ROWS; rowIndex++) {
      for (int column = 0; column < COLUMNS; column++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        int exponent = 119 + ((state >>> 20) & 7);
        int bits = (state & 0x8000) | (exponent << 7) | (state & 0x7F);
        row[2 * column] = (byte) bits;
        row[2 * column + 1] = (byte) (bits >>> 8);
      }
      target.write(row);
    }
  }
}
