package dev.qspark.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import dev.qspark.job.checksum.ChecksumFixtures;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumCommandTest {

  private static SparkSession spark;

  @TempDir Path folder;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("ChecksumCommandTest")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void layoutAndSplitDoNotChangeOutput() throws IOException {
    Path oneFile = folder.resolve("one-file");
    Path scattered = folder.resolve("scattered");
    ChecksumFixtures.write(spark, 20261204L, new int[] {1000}, oneFile, 1);
    ChecksumFixtures.write(spark, 20261204L, new int[] {5, 3, 11}, scattered, 7);

    Result first = run(oneFile);
    Result second = run(scattered);

    assertThat(parquetFiles(scattered)).isGreaterThan(parquetFiles(oneFile));
    assertThat(first.exitCode()).isZero();
    assertThat(second.exitCode()).isZero();
    assertThat(first.lines()).hasSize(3);
    assertThat(first.lines()).allSatisfy(line -> assertThat(line).matches("[a-z0-9-]+\t[0-9a-f]{64}"));
    assertThat(first.lines().stream().map(line -> line.split("\t")[0]))
        .containsExactly("int4-g32", "int8-tensor", "uint3-g32");
    assertThat(second.lines()).isEqualTo(first.lines());
  }

  @Test
  void oneFlippedBitChangesOneLine() throws IOException {
    Path original = folder.resolve("original");
    Path flipped = folder.resolve("flipped");
    ChecksumFixtures.write(spark, 20261204L, new int[] {8}, original, 2);
    ChecksumFixtures.writeWithFlippedBit(spark, 20261204L, new int[] {8}, flipped, 2, "int8-tensor");

    List<String> before = run(original).lines();
    List<String> after = run(flipped).lines();

    assertThat(after).hasSize(3);
    assertThat(after.get(0)).isEqualTo(before.get(0));
    assertThat(after.get(1)).startsWith("int8-tensor\t").isNotEqualTo(before.get(1));
    assertThat(after.get(2)).isEqualTo(before.get(2));
  }

  @Test
  void missingRowsFailWithOneLine() throws IOException {
    Path gap = folder.resolve("gap");
    ChecksumFixtures.writeWithoutBlock(spark, 20261204L, new int[] {8}, gap, 2, "uint3-g32");

    Result result = run(gap);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().lines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("qspark: Cannot checksum " + gap + ": config uint3-g32, tensor ")
        .contains("rows are missing");
  }

  @Test
  void weightListedWithoutBlocksFails() throws IOException {
    Path lost = folder.resolve("lost");
    ChecksumFixtures.write(spark, 20261204L, new int[] {8}, lost, 2);
    ChecksumFixtures.listWithoutBlocks(spark, lost, "int8-tensor", "model.layers.9.mlp.down_proj.weight");

    Result result = run(lost);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.lines()).isEmpty();
    assertThat(result.err().lines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("qspark: Cannot checksum " + lost + ": quantized/ has no blocks of 1 weight that metrics/"
            + " lists as quantized (int8-tensor model.layers.9.mlp.down_proj.weight)");
  }

  @Test
  void blocksOfUnlistedWeightsFail() throws IOException {
    Path mixed = folder.resolve("mixed");
    ChecksumFixtures.write(spark, 20261204L, new int[] {8}, mixed, 2);
    ChecksumFixtures.unlistConfig(spark, mixed, "uint3-g32");

    Result result = run(mixed);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("qspark: Cannot checksum " + mixed + ": quantized/ has blocks of ")
        .contains("that metrics/ does not list as quantized (uint3-g32 ");
  }

  @Test
  void emptyMetricsFolderFails() throws IOException {
    Path emptied = folder.resolve("emptied");
    ChecksumFixtures.write(spark, 20261204L, new int[] {8}, emptied, 2);
    try (Stream<Path> files = Files.list(emptied.resolve("metrics"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }

    Result result = run(emptied);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("quantized/ has blocks of ").contains("that metrics/ does not list");
  }

  @Test
  void configWithoutQuantizedTensorsNamed() throws IOException {
    Path partial = folder.resolve("partial");
    ChecksumFixtures.write(spark, 20261204L, new int[] {8}, partial, 2);
    ChecksumFixtures.addSkippedConfig(spark, partial, "int4-v2", "model.layers.0.mlp.down_proj.weight");

    Result result = run(partial);

    assertThat(result.exitCode()).isZero();
    assertThat(result.lines()).hasSize(3);
    assertThat(result.err()).contains("No checksums for int4-v2: metrics/ lists no quantized tensor of this config");
  }

  @Test
  void deletedDataFileFails() throws IOException {
    Path damaged = folder.resolve("damaged");
    ChecksumFixtures.write(spark, 20261204L, new int[] {8}, damaged, 1);
    List<Path> dataFiles;
    try (Stream<Path> files = Files.walk(damaged.resolve("quantized/config_id=int4-g32"))) {
      dataFiles = files.filter(file -> file.toString().endsWith(".parquet")).toList();
    }
    assertThat(dataFiles).hasSize(1);
    Files.delete(dataFiles.get(0));

    Result result = run(damaged);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("quantized/ has no blocks of ").contains("(int4-g32 ");
  }

  @Test
  void truncatedDataFileFailsWithOneLine() throws IOException {
    Path truncated = folder.resolve("truncated");
    ChecksumFixtures.write(spark, 20261204L, new int[] {8}, truncated, 1);
    Path dataFile;
    try (Stream<Path> files = Files.walk(truncated.resolve("quantized/config_id=int8-tensor"))) {
      dataFile = files.filter(file -> file.getFileName().toString().endsWith(".parquet")
          && !file.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(dataFile);
    Files.write(dataFile, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    Result result = run(truncated);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().lines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("qspark: Cannot read ")
        .contains(dataFile.getFileName().toString())
        .endsWith("the file is damaged or was changed after it was written");
  }

  @Test
  void unfinishedRunWarns() throws IOException {
    Path killed = folder.resolve("killed");
    ChecksumFixtures.write(spark, 20261204L, new int[] {8}, killed, 2);
    Files.delete(killed.resolve("_SUCCESS"));

    Result result = run(killed);

    assertThat(result.exitCode()).isZero();
    assertThat(result.lines()).hasSize(3);
    assertThat(result.err()).contains("qspark: warning: " + killed + " has no _SUCCESS");
  }

  @Test
  void finishedRunDoesNotWarn() throws IOException {
    Path finished = folder.resolve("finished");
    ChecksumFixtures.write(spark, 20261204L, new int[] {8}, finished, 2);

    assertThat(run(finished).err()).doesNotContain("warning");
  }

  @Test
  void missingFolderFailsWithOneLine() {
    Result result = run(folder.resolve("absent"));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("qspark: ").contains("absent");
  }

  private static long parquetFiles(Path outputDir) throws IOException {
    try (Stream<Path> files = Files.walk(outputDir)) {
      return files.filter(file -> file.toString().endsWith(".parquet")).count();
    }
  }

  private record Result(int exitCode, List<String> lines, String err) {}

  private static Result run(Path outputDir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine commandLine = QsparkCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute("checksum", outputDir.toString());
    return new Result(exitCode, out.toString().lines().toList(), err.toString());
  }
}
