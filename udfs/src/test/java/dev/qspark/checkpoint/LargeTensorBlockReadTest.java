package dev.qspark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block reads of a generated 256 MiB sharded checkpoint whose tensors exceed a small heap. */
class LargeTensorBlockReadTest {

  // Each tensor is 128 MiB of BF16 and 256 MiB as floats, so this heap cannot hold one.
  private static final String SMALL_HEAP = "-Xmx64m";

  @TempDir static Path folder;

  @BeforeAll
  static void writeCheckpoint() throws IOException {
    LargeCheckpoint.write(folder);
  }

  @Test
  void readsAllBlocksOfEveryShard() throws IOException {
    Configuration conf = new Configuration();
    Checkpoint checkpoint = Checkpoint.open(folder.toString(), conf, CheckpointOptions.DEFAULT.withStrict(true));
    assertThat(checkpoint.layout()).isEqualTo(Checkpoint.Layout.SHARDED);
    assertThat(checkpoint.tensors()).hasSize(LargeCheckpoint.SHARDS);

    // 300 rows per block, so blocks straddle the 1 MiB scratch chunks and the last one is short.
    int rowsPerBlock = 300;
    float[] block = new float[rowsPerBlock * LargeCheckpoint.COLUMNS];
    for (int shard = 0; shard < LargeCheckpoint.SHARDS; shard++) {
      TensorEntry tensor = checkpoint.tensor(LargeCheckpoint.tensorName(shard)).orElseThrow();
      try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), conf, 1 << 20)) {
        long rowsRead = 0;
        for (long row = 0; row < tensor.rowCount(); row += rowsPerBlock) {
          int rows = (int) Math.min(rowsPerBlock, tensor.rowCount() - row);
          int count = reader.readRows(tensor, row, rows, block);
          assertThat(LargeCheckpoint.firstMismatch(shard, row, block, count)).isNull();
          rowsRead += rows;
        }
        assertThat(rowsRead).isEqualTo(LargeCheckpoint.ROWS);
      }
    }
  }

  @Test
  void readsTensorLargerThanHeapInSeparateJvm() throws Exception {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    SMALL_HEAP,
                    "-cp",
                    System.getProperty("java.class.path"),
                    BoundedMemoryRead.class.getName(),
                    folder.toString(),
                    "1",
                    "64"))
            .redirectErrorStream(true)
            .start();
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!finished) {
      process.destroyForcibly();
    }

    assertThat(finished).as("the reading JVM finished within 60 s").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("checked " + (long) LargeCheckpoint.ROWS * LargeCheckpoint.COLUMNS + " values");
  }
}
