package dev.qspark.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.verify.OutputFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code qspark verify} on the output of {@code qspark sweep} over stories260K, and on output
 * folders in the job's schema with controlled damage, written by {@link OutputFixtures}.
 */
class VerifyCommandTest {

  private static final String Q_PROJ = "model.layers.1.self_attn.q_proj.weight";

  private static SparkSession spark;

  @TempDir
  Path folder;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("VerifyCommandTest")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void matchingOutputExitsZero() throws IOException {
    Path dir = write(UnaryOperator.identity(), UnaryOperator.identity());

    int exitCode = verify(dir);

    assertThat(exitCode).as(out.toString() + err).isZero();
    assertThat(out.toString()).contains("All " + OutputFixtures.CONFIGS.size() + " configs match");
    // Per layer, 16-row blocks: q_proj and o_proj 4, k_proj and v_proj 2, gate_proj and up_proj 11
    // (172 rows), down_proj 4; 5 layers. Int4 with group 32 skips down_proj (in_features 172).
    assertThat(out.toString()).containsPattern("int4-v2-g32 +OK +30 tensors quantized in 170 blocks, 17 kept");
    assertThat(out.toString()).containsPattern("int8-v1 +OK +35 tensors quantized in 190 blocks, 12 kept");
  }

  @Test
  void sweepOutputVerifies() throws IOException {
    Path configs = folder.resolve("configs.txt");
    Files.writeString(configs, String.join("\n", OutputFixtures.CONFIGS.values()) + "\n");
    Path dir = folder.resolve("sweep");
    int sweepExitCode = run("sweep", "--model", OutputFixtures.storiesModel().toString(), "--configs",
        configs.toString(), "--out", dir.toString(), "--unit-bytes", "4096");
    assertThat(sweepExitCode).as(err.toString()).isZero();

    int exitCode = verify(dir);

    assertThat(exitCode).as(out.toString() + err).isZero();
    assertThat(out.toString()).contains("All " + OutputFixtures.CONFIGS.size() + " configs match");
    assertThat(out.toString()).doesNotContain("MISMATCH");
    assertThat(out.toString()).containsPattern(" OK +30 tensors quantized in \\d+ blocks, 17 kept");
  }

  @Test
  void changedMetricReported() throws IOException {
    Path dir = write(UnaryOperator.identity(), rows -> replace(rows, row -> isTensor(row, "int8-v1", Q_PROJ),
        row -> withValue(row, 6, row.getDouble(6) * (1 + 1e-7))));

    int exitCode = verify(dir);

    assertThat(exitCode).isEqualTo(VerifyCommand.MISMATCH);
    assertThat(out.toString()).contains("int8-v1                      MISMATCH  1 differences");
    assertThat(out.toString()).contains(Q_PROJ + ": mse ");
  }

  @Test
  void corruptedQdataReported() throws IOException {
    Path dir = write(rows -> replace(rows, row -> isTensor(row, "int4-v2-g32", Q_PROJ) && row.getLong(5) == 16,
        row -> {
          byte[] qdata = ((byte[]) row.get(9)).clone();
          qdata[3] ^= 0x11;
          return withValue(row, 9, qdata);
        }), UnaryOperator.identity());

    int exitCode = verify(dir);

    assertThat(exitCode).isEqualTo(VerifyCommand.MISMATCH);
    assertThat(out.toString()).contains("int4-v2-g32                  MISMATCH");
    assertThat(out.toString()).contains(Q_PROJ + ": mse ");
    assertThat(out.toString()).contains("1 of " + OutputFixtures.CONFIGS.size() + " configs differ: int4-v2-g32");
  }

  @Test
  void missingBlockReported() throws IOException {
    Path dir = write(rows -> remove(rows, row -> isTensor(row, "uint3-g32", Q_PROJ) && row.getLong(5) == 32),
        UnaryOperator.identity());

    int exitCode = verify(dir);

    assertThat(exitCode).isEqualTo(VerifyCommand.MISMATCH);
    assertThat(out.toString()).contains(Q_PROJ + ": blocks cover rows up to 32, then a block starts at row 48");
  }

  @Test
  void truncatedScaleReported() throws IOException {
    Path dir = write(rows -> replace(rows, row -> isTensor(row, "int8-v2-per-tensor", Q_PROJ),
        row -> withValue(row, 10, new Object[0])), UnaryOperator.identity());

    int exitCode = verify(dir);

    assertThat(exitCode).isEqualTo(VerifyCommand.MISMATCH);
    assertThat(out.toString()).contains(Q_PROJ + ": block at row 0: Cannot rebuild a stored");
    assertThat(out.toString()).contains("scale has 0 values, expected 1");
  }

  @Test
  void blocksOfSkippedTensorReported() throws IOException {
    Path dir = write(UnaryOperator.identity(), rows -> replace(rows, row -> isTensor(row, "int8-v1", Q_PROJ),
        row -> withValue(row, 3, "skipped")));

    int exitCode = verify(dir);

    assertThat(exitCode).isEqualTo(VerifyCommand.MISMATCH);
    assertThat(out.toString()).contains(Q_PROJ + ": status skipped in metrics/, but 4 blocks in quantized/");
  }

  @Test
  void unreadableDataFileExitsTwoWithOneLine() throws IOException {
    Path dir = write(UnaryOperator.identity(), UnaryOperator.identity());
    Path dataFile;
    try (var files = Files.walk(dir.resolve("quantized/config_id=int8-v1"))) {
      dataFile = files.filter(file -> file.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(dataFile);
    Files.write(dataFile, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    int exitCode = verify(dir);

    assertThat(exitCode).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines().filter(line -> !line.contains(" INFO ")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("qspark: Cannot read ")
        .contains(dataFile.getFileName().toString())
        .endsWith("the file is damaged or was changed after it was written");
  }

  @Test
  void unfinishedRunFails() throws IOException {
    Path dir = write(UnaryOperator.identity(), UnaryOperator.identity());
    Files.delete(dir.resolve("_SUCCESS"));

    int exitCode = verify(dir);

    assertThat(exitCode).isEqualTo(VerifyCommand.MISMATCH);
    assertThat(out.toString()).contains("All " + OutputFixtures.CONFIGS.size() + " configs match");
    assertThat(out.toString()).contains(dir + " has no _SUCCESS, the file a job writes when it succeeds");
  }

  @Test
  void emptyMetricsFolderReported() throws IOException {
    Path dir = write(UnaryOperator.identity(), UnaryOperator.identity());
    try (var files = Files.list(dir.resolve("metrics"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }

    int exitCode = verify(dir);

    assertThat(exitCode).isEqualTo(VerifyCommand.MISMATCH);
    assertThat(out.toString()).contains("configs differ");
  }

  @Test
  void missingFolderExitsTwo() {
    int exitCode = verify(folder.resolve("absent"));

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("has no quantized/ folder");
  }

  private Path write(UnaryOperator<List<Row>> quantizedEdit, UnaryOperator<List<Row>> metricsEdit)
      throws IOException {
    Path dir = folder.resolve("out");
    OutputFixtures.stories(spark).write(dir, quantizedEdit, metricsEdit);
    return dir;
  }

  private int verify(Path dir) {
    return run("verify", dir.toString(), "--model", OutputFixtures.storiesModel().toString());
  }

  private int run(String... args) {
    CommandLine commandLine = QsparkCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static boolean isTensor(Row row, String configId, String tensor) {
    return row.getString(0).equals(configId) && row.getString(2).equals(tensor);
  }

  private static List<Row> replace(
      List<Row> rows, Predicate<Row> match, UnaryOperator<Row> change) {
    List<Row> out = new ArrayList<>();
    int replaced = 0;
    for (Row row : rows) {
      if (match.test(row)) {
        out.add(change.apply(row));
        replaced++;
      } else {
        out.add(row);
      }
    }
    assertThat(replaced).as("rows changed").isPositive();
    return out;
  }

  private static List<Row> remove(List<Row> rows, Predicate<Row> match) {
    List<Row> out = new ArrayList<>(rows);
    assertThat(out.removeIf(match)).as("rows removed").isTrue();
    return out;
  }

  private static Row withValue(Row row, int index, Object value) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    values[index] = value;
    return RowFactory.create(values);
  }
}
