package dev.qspark.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.job.JobOutput.Rebuilt;
import dev.qspark.job.cli.QsparkCommand;
import dev.qspark.job.output.Manifest;
import dev.qspark.job.output.QuantizedSchema;
import dev.qspark.job.output.QuantizedWriteSettings;
import dev.qspark.job.plan.JobConfig;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Runs the quantize and sweep commands on the stories260K checkpoints in one shared local[2] session. */
class QuantizeJobTest {

  /** Int8WeightOnlyConfig with one scale per row keeps the error far below the signal on these weights. */
  static final double INT8_MIN_SQNR_DB = 35;

  /**
   * The floor for 8-bit formats that clamp bfloat16 scales at bfloat16's eps 0.0078125 (torchao up to
   * 0.17: IntxWeightOnlyConfig int8, Int8WeightOnlyConfig version 2). Rows with max |w| below
   * 127.5 * eps then use half the int8 levels or fewer: layer 0's down_proj (max |w| 0.707) reaches
   * 34.77 dB, the value numpy gives for the same clamped formula.
   */
  static final double EIGHT_BIT_MIN_SQNR_DB = 25;

  /** The versions preset plus Int4 at groups 32 and 64 and an Intx group config, one per line. */
  static final List<String> EXTRA_CONFIGS =
      List.of(
          "Int4WeightOnlyConfig(group_size=32)",
          "Int4WeightOnlyConfig(group_size=64)",
          "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32))");

  static SparkSession spark;

  @TempDir static Path folder;

  @BeforeAll
  static void startSpark() {
    spark = SharedSpark.start();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run qspark(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = QsparkCommand.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private static Path model(String name) {
    String property = System.getProperty("qspark.shared.dir");
    Path shared = property != null ? Paths.get(property) : Paths.get("..", "..", "shared");
    return shared.resolve("models").resolve(name);
  }

  private static List<String> sweepConfigs() throws IOException {
    List<String> configs = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get("src/main/resources/presets/versions.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        configs.add(line.strip());
      }
    }
    assertThat(configs).hasSize(12);
    configs.addAll(EXTRA_CONFIGS);
    return configs;
  }

  private static Path configFile(String name, List<String> configs) throws IOException {
    Path file = folder.resolve(name);
    Files.write(file, ("# configs of " + name + "\n\n" + String.join("\n", configs) + "\n").getBytes());
    return file;
  }

  @ParameterizedTest
  @ValueSource(strings = {"stories260K", "stories260K-fp32"})
  void sweepMatchesKernelsOnWholeTensors(String modelName) throws IOException {
    List<String> configs = sweepConfigs();
    Path out = folder.resolve("sweep-" + modelName);
    Run run = qspark("sweep", "--model", model(modelName).toString(), "--configs",
        configFile("sweep-" + modelName + ".txt", configs).toString(), "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("CONFIG_ID").contains("int4-v2-g32", "int8-v1");
    assertThat(run.err())
        .containsPattern("qspark: quantize (\\d+)/\\1 units in \\d+ s, \\d+(\\.\\d\\d [kMG])? params/s on average");
    assertThat(out.resolve("_SUCCESS")).exists();
    Map<?, ?> options = (Map<?, ?>) Manifest.readAsMap(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(out.resolve("manifest.json").toString())).get("options");
    assertThat(options.get("parquet_compression")).isEqualTo("zstd");
    assertThat(options.get("zstd_level")).isEqualTo(QuantizedWriteSettings.ZSTD_LEVEL_DEFAULT);
    assertThat(((Number) options.get("row_group_bytes")).longValue()).isPositive();
    assertThat(((Number) options.get("unit_bytes")).longValue()).isEqualTo(JobSettings.defaultUnitBytes(configs.size()));

    List<JobConfig> jobConfigs = JobConfigs.parse(configs, TorchaoRelease.V0_15, null, "test configs");
    Checkpoint checkpoint = Checkpoint.open(model(modelName).toString(), new Configuration(), CheckpointOptions.DEFAULT);
    Map<String, Row> metrics = JobOutput.metrics(spark, out);
    Map<String, Rebuilt> rebuilt = JobOutput.rebuild(spark, out);
    assertThat(metrics).hasSize(jobConfigs.size() * checkpoint.tensors().size());

    int quantizedPairs = 0;
    for (JobConfig config : jobConfigs) {
      for (TensorEntry tensor : checkpoint.tensors()) {
        String key = config.configId() + " " + tensor.name();
        Row row = metrics.get(key);
        String expected = expectedStatus(config, tensor);
        assertThat(row.getString(row.fieldIndex("status"))).as(key).isEqualTo(expected);
        if (expected.equals("quantized")) {
          quantizedPairs++;
          assertDirectOutput(config, tensor, rebuilt.get(key), key);
          assertPlausibleMetrics(config, row, key);
        } else {
          assertThat(rebuilt).as(key).doesNotContainKey(key);
          assertThat(row.isNullAt(row.fieldIndex("sqnr_db"))).as(key).isTrue();
        }
      }
    }
    assertThat(rebuilt).hasSize(quantizedPairs);
  }

  /**
   * The status torchao gives each tensor, from the names and shapes alone: the 2-D projection weights
   * are targets; Int4 leaves a row length its group does not divide unquantized, Intx groups raise for it.
   */
  private static String expectedStatus(JobConfig config, TensorEntry tensor) {
    boolean target = tensor.rank() == 2 && tensor.name().matches(".*\\.(q|k|v|o|gate|up|down)_proj\\.weight");
    if (!target) {
      return "kept";
    }
    long inFeatures = tensor.shape()[1];
    String text = config.canonical();
    java.util.regex.Matcher group = java.util.regex.Pattern.compile("group_size=(\\d+)|PerGroup\\((\\d+)\\)").matcher(text);
    Integer groupSize = null;
    if (group.find()) {
      groupSize = Integer.valueOf(group.group(1) != null ? group.group(1) : group.group(2));
    }
    boolean divides = groupSize == null || inFeatures % groupSize == 0;
    if (text.startsWith("Int4WeightOnlyConfig")) {
      if (!divides) {
        return "skipped";
      }
      return config.config().version() == 1 && tensor.dtype().name().equals("F32") ? "rejected" : "quantized";
    }
    return divides ? "quantized" : "rejected";
  }

  private static void assertDirectOutput(JobConfig config, TensorEntry tensor, Rebuilt rebuilt, String key)
      throws IOException {
    assertThat(rebuilt).as(key).isNotNull();
    int rows = (int) tensor.shape()[0];
    int inFeatures = (int) tensor.shape()[1];
    FloatDtype dtype = tensor.dtype().name().equals("F32") ? FloatDtype.FLOAT32 : FloatDtype.BFLOAT16;
    float[] values;
    try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), new Configuration())) {
      values = reader.readRows(tensor, 0, rows);
    }
    TensorRange range = config.quantizer().needsTensorRange() ? TensorRange.of(values) : null;
    QuantizedBlock direct =
        config.quantizer().quantize(WeightBlock.wholeTensor(values, rows, inFeatures, dtype), range);
    assertThat(rebuilt.rows()).as(key).isEqualTo(rows);
    assertThat(rebuilt.qdata()).as(key + " qdata").isEqualTo(direct.qdata());
    assertThat(rebuilt.scale()).as(key + " scale").isEqualTo(direct.scale());
    assertThat(rebuilt.zeroPoint()).as(key + " zero_point").isEqualTo(direct.zeroPoint());
  }

  private static void assertPlausibleMetrics(JobConfig config, Row row, String key) {
    double sqnr = row.getDouble(row.fieldIndex("sqnr_db"));
    double storedBits = row.getDouble(row.fieldIndex("stored_bits_per_weight"));
    double nominalBits = row.getDouble(row.fieldIndex("nominal_bits_per_weight"));
    assertThat(row.getDouble(row.fieldIndex("mse"))).as(key).isPositive();
    assertThat(row.getDouble(row.fieldIndex("relative_frobenius_error"))).as(key).isBetween(0.0, 0.5);
    assertThat(row.getLong(row.fieldIndex("non_finite_count"))).as(key).isZero();
    assertThat(sqnr).as(key).isBetween(5.0, 80.0);
    boolean eightBit = config.quantizer().storageInfo(FloatDtype.BFLOAT16, 64).qdataDtype().equals("int8");
    boolean bfloat16 = row.getLong(row.fieldIndex("bytes_in")) == 2 * row.getLong(row.fieldIndex("elements"));
    boolean clampsScale = bfloat16 && config.config().version() == 2;
    if (config.config().className().equals("Int8WeightOnlyConfig") && !clampsScale) {
      assertThat(sqnr).as(key + " Int8 SQNR").isGreaterThan(INT8_MIN_SQNR_DB);
    }
    if (eightBit) {
      assertThat(sqnr).as(key + " 8-bit SQNR").isGreaterThan(EIGHT_BIT_MIN_SQNR_DB);
      assertThat(nominalBits).as(key).isGreaterThan(8.0);
    } else {
      assertThat(nominalBits).as(key).isBetween(4.0, 6.0);
    }
    assertThat(storedBits).as(key).isBetween(4.0, 80.0);
  }

  @Test
  void outputIndependentOfUnitSizeAndPartitions() throws IOException {
    List<String> configs = List.of(
        "Int4WeightOnlyConfig(group_size=32)",
        "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32), mapping_type=MappingType.ASYMMETRIC)",
        "Int8WeightOnlyConfig(granularity=PerRow(), version=2)");
    Path configFile = configFile("blocking.txt", configs);
    Path small = folder.resolve("small-units");
    Path large = folder.resolve("large-units");

    Run first = qspark("sweep", "--model", model("stories260K-fp32").toString(), "--configs", configFile.toString(),
        "--out", small.toString(), "--unit-bytes", "1024", "--partitions", "1");
    Run second = qspark("sweep", "--model", model("stories260K-fp32").toString(), "--configs", configFile.toString(),
        "--out", large.toString(), "--unit-bytes", "8192", "--partitions", "3");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    Map<String, Rebuilt> smallBlocks = JobOutput.rebuild(spark, small);
    Map<String, Rebuilt> largeBlocks = JobOutput.rebuild(spark, large);
    assertThat(smallBlocks.keySet()).isEqualTo(largeBlocks.keySet()).isNotEmpty();
    for (String key : smallBlocks.keySet()) {
      Rebuilt a = smallBlocks.get(key);
      Rebuilt b = largeBlocks.get(key);
      assertThat(a.rowStarts()).as(key + " blocking differs").isNotEqualTo(b.rowStarts());
      assertThat(a.qdata()).as(key).isEqualTo(b.qdata());
      assertThat(a.scale()).as(key).isEqualTo(b.scale());
      assertThat(a.zeroPoint()).as(key).isEqualTo(b.zeroPoint());
    }
  }

  @Test
  void existingOutputNeedsOverwrite() throws IOException {
    Path out = folder.resolve("existing");
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "from an earlier run");
    String[] args = {"quantize", "--model", model("stories260K").toString(), "--config",
        "Int8WeightOnlyConfig()", "--out", out.toString()};

    Run rejected = qspark(args);
    assertThat(rejected.exitCode()).isEqualTo(2);
    assertThat(rejected.err()).contains("already exists", "--overwrite");
    assertThat(out.resolve("old.txt")).exists();

    String[] overwrite = Stream.concat(Stream.of(args), Stream.of("--overwrite")).toArray(String[]::new);
    Run replaced = qspark(overwrite);
    assertThat(replaced.exitCode()).as(replaced.err()).isZero();
    assertThat(out.resolve("old.txt")).doesNotExist();
    assertThat(out.resolve("_SUCCESS")).exists();
  }

  private static Path modelWithNaN() throws IOException {
    Path file = folder.resolve("nan-model.safetensors");
    if (!Files.exists(file)) {
      float[][] upProj = SafetensorsTestFile.randomRows(16, 64, 7);
      upProj[9][5] = Float.NaN;
      new SafetensorsTestFile()
          .add("model.layers.0.mlp.up_proj.weight", upProj)
          .add("model.layers.0.self_attn.q_proj.weight", SafetensorsTestFile.randomRows(8, 64, 11))
          .write(file);
    }
    return file;
  }

  @Test
  void nonFiniteTensorRejectedWithoutBlocks() throws IOException {
    Path out = folder.resolve("nan-out");
    Path configFile = configFile("nan.txt",
        List.of("Int8WeightOnlyConfig(granularity=PerRow(), version=2)", "Int4WeightOnlyConfig(group_size=32)"));

    Run run = qspark("sweep", "--model", modelWithNaN().toString(), "--configs", configFile.toString(),
        "--out", out.toString(), "--unit-bytes", "1024");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, Row> metrics = JobOutput.metrics(spark, out);
    for (String configId : List.of("int8-v2", "int4-v2-g32")) {
      Row upProj = metrics.get(configId + " model.layers.0.mlp.up_proj.weight");
      assertThat(upProj.getString(upProj.fieldIndex("status"))).isEqualTo("rejected");
      assertThat(upProj.getString(upProj.fieldIndex("reason"))).contains("NaN", "row 9");
      assertThat(upProj.getLong(upProj.fieldIndex("non_finite_count"))).isEqualTo(1);
      Row qProj = metrics.get(configId + " model.layers.0.self_attn.q_proj.weight");
      assertThat(qProj.getString(qProj.fieldIndex("status"))).isEqualTo("quantized");
    }
    assertThat(JobOutput.rebuild(spark, out).keySet())
        .containsExactlyInAnyOrder(
            "int8-v2 model.layers.0.self_attn.q_proj.weight", "int4-v2-g32 model.layers.0.self_attn.q_proj.weight");
  }

  @Test
  void failedJobLeavesNoOutput() throws IOException {
    Path out = folder.resolve("strict-out");
    Run run = qspark("quantize", "--model", modelWithNaN().toString(), "--config", "Int8WeightOnlyConfig()",
        "--out", out.toString(), "--unit-bytes", "1024", "--strict");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--strict", "model.layers.0.mlp.up_proj.weight", "NaN");
    assertThat(out).doesNotExist();
    try (Stream<Path> siblings = Files.list(folder)) {
      assertThat(siblings.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith("strict-out"));
    }
  }

  @Test
  void sweepQuantizingNothingStaysReadable() throws IOException {
    Path out = folder.resolve("nothing-quantized");
    // Group 128 does not divide stories260K's in_features of 64 and 172, so torchao skips every target.
    Path configFile = configFile("nothing.txt",
        List.of("Int4WeightOnlyConfig()", "Int4WeightOnlyConfig(version=1)"));

    Run sweep = qspark("sweep", "--model", model("stories260K").toString(), "--configs", configFile.toString(),
        "--out", out.toString());
    assertThat(sweep.exitCode()).as(sweep.err()).isZero();
    assertThat(out.resolve("_SUCCESS")).exists();
    assertThat(out.resolve("report")).exists();
    assertThat(spark.read().parquet(out.resolve("quantized").toString()).count()).isZero();
    assertThat(spark.read().parquet(out.resolve("quantized").toString()).schema().fieldNames())
        .contains(QuantizedSchema.CONFIG_ID, QuantizedSchema.TENSOR, "qdata");

    Run checksum = qspark("checksum", out.toString());
    assertThat(checksum.exitCode()).as(checksum.err()).isZero();
    assertThat(checksum.out()).isEmpty();
    assertThat(checksum.err()).contains("no config quantized any tensor");

    Run verify = qspark("verify", out.toString(), "--model", model("stories260K").toString());
    assertThat(verify.exitCode()).as(verify.err()).isZero();
  }

  @Test
  void presetMissingFromReleaseRejected() {
    Run run = qspark("sweep", "--model", model("stories260K").toString(), "--configs", "versions",
        "--torchao", "0.16", "--out", folder.resolve("never").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("preset versions under torchao 0.16", "5 of its 12 configs",
            "Int4WeightOnlyConfig(group_size=128, version=1)");
    assertThat(folder.resolve("never")).doesNotExist();
  }

  @Test
  void listPresetsShowsConfigs() {
    Run run = qspark("sweep", "--list-presets");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("versions (12 configs)", "all (51 configs)", "  Int8WeightOnlyConfig(version=1)");
  }
}
