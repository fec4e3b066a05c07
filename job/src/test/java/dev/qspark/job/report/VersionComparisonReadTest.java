package dev.qspark.job.report;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.output.QuantizedSchema;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.config.QuantConfigs;
import dev.qspark.kernels.Quantizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.Dependency;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the report reads {@code quantized/}: which columns each read selects, and when the version
 * comparison walks pairs of files without a shuffle instead of joining.
 */
class VersionComparisonReadTest {

  static final List<String> CONFIGS = List.of(
      "Int4WeightOnlyConfig(group_size=32)",
      "Int4WeightOnlyConfig(group_size=32, version=1)",
      "IntxWeightOnlyConfig(weight_dtype=torch.int8, granularity=PerAxis(0), mapping_type=MappingType.ASYMMETRIC,"
          + " version=1)",
      "IntxWeightOnlyConfig(weight_dtype=torch.int8, granularity=PerAxis(0), mapping_type=MappingType.ASYMMETRIC,"
          + " version=2)");

  @TempDir static Path temp;
  static SparkSession spark;
  static Dataset<Row> fixture;
  static List<VersionPair> pairs;
  static SweepManifest manifest;

  @BeforeAll
  static void writeSweep() throws Exception {
    spark = SweepFixture.startSpark("VersionComparisonReadTest");
    Path sweep = temp.resolve("sweep");
    SweepFixture.write(spark, SweepFixture.sharedDir().resolve("models/stories260K"), sweep, CONFIGS);
    fixture = spark.read().schema(QuantizedSchema.SCHEMA).parquet(sweep.resolve("quantized").toString());
    Map<String, String> configs = new LinkedHashMap<>();
    for (Row row : fixture.select("config_id", "config").distinct().orderBy("config_id").collectAsList()) {
      configs.put(row.getString(0), row.getString(1));
    }
    pairs = VersionPair.find(configs);
    manifest = SweepManifest.read(sweep.toString(), spark.sparkContext().hadoopConfiguration());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void fixtureHasPackedAndUnpackedPairs() {
    assertThat(pairs).hasSize(2);
  }

  @Test
  void alignedFilesGiveJoinResult() throws Exception {
    Path quantized = rewrite("aligned", false, 1);
    for (VersionPair pair : pairs) {
      BlockDifferenceFunction function = function(pair);
      Optional<Map<String, BlockDifference>> aligned =
          AlignedFileComparison.compute(spark, hadoopPath(quantized), pair, function);
      Map<String, BlockDifference> joined = VersionComparison.joinedDifferences(read(quantized), pair, function);

      assertThat(aligned).as(pair.v1ConfigId()).isPresent();
      assertThat(aligned.get()).as(pair.v1ConfigId()).isEqualTo(joined);
      assertThat(joined).as(pair.v1ConfigId()).isNotEmpty();
    }
  }

  @Test
  void int4PairDiffers() throws Exception {
    Path quantized = rewrite("differing", false, 1);
    VersionPair int4 = pairs.stream().filter(pair -> pair.v1ConfigId().startsWith("int4")).findFirst().orElseThrow();
    Map<String, BlockDifference> differences =
        AlignedFileComparison.compute(spark, hadoopPath(quantized), int4, function(int4)).orElseThrow();
    long differing = differences.values().stream().mapToLong(BlockDifference::differingValues).sum();
    assertThat(differing).isPositive();
  }

  @Test
  void reorderedFilesFallBackToJoin() throws Exception {
    Path aligned = rewrite("in-order", false, 1);
    Path reordered = rewrite("reordered", true, 1);
    for (VersionPair pair : pairs) {
      assertThat(AlignedFileComparison.compute(spark, hadoopPath(reordered), pair, function(pair)))
          .as(pair.v1ConfigId()).isEmpty();

      VersionComparison expected = VersionComparison.compute(
          spark, read(aligned), hadoopPath(aligned), List.of(), pair, manifest);
      VersionComparison actual = VersionComparison.compute(
          spark, read(reordered), hadoopPath(reordered), List.of(), pair, manifest);
      assertThat(actual.tensors()).as(pair.v1ConfigId()).isEqualTo(expected.tensors());
      assertThat(actual.total()).as(pair.v1ConfigId()).isEqualTo(expected.total());
    }
  }

  @Test
  void differentFileCountsFallBackToJoin() throws Exception {
    Path quantized = rewrite("split", false, 2);
    VersionPair pair = pairs.get(0);
    assertThat(AlignedFileComparison.compute(spark, hadoopPath(quantized), pair, function(pair))).isEmpty();
  }

  @Test
  void filePairsRunWithoutShuffle() throws Exception {
    Path quantized = rewrite("no-shuffle", false, 1);
    VersionPair pair = pairs.get(0);
    List<org.apache.hadoop.fs.Path> v1Files = dataFiles(quantized, pair.v1ConfigId());
    List<org.apache.hadoop.fs.Path> v2Files = dataFiles(quantized, pair.v2ConfigId());
    RDD<?> rdd = AlignedFileComparison.filePairs(spark, v1Files, v2Files, function(pair)).rdd();

    assertThat(rdd.getNumPartitions()).isEqualTo(v1Files.size());
    assertThat(shuffleDependencies(rdd)).isZero();
  }

  @Test
  void filePairsReadOnlyComparedColumns() {
    Dataset<Row> blocks = spark.read().schema(AlignedFileComparison.BLOCK_SCHEMA)
        .parquet(fixture.inputFiles()[0]);
    assertThat(readColumns(blocks)).containsExactlyElementsOf(BlockDifferenceFunction.COLUMNS);
  }

  @Test
  void joinReadsOnlyComparedColumns() {
    Dataset<Row> side = VersionComparison.side(fixture, pairs.get(0).v1ConfigId());
    assertThat(readColumns(side)).containsExactlyInAnyOrderElementsOf(BlockDifferenceFunction.COLUMNS);
  }

  @Test
  void scaleStatisticsReadOnlyScales() {
    assertThat(readColumns(ScaleStatistics.scaleColumns(fixture))).containsExactlyInAnyOrder("tensor", "scale");
  }

  /** Returns the data columns that the scans of a Dataset's physical plan read; partition columns are not read from files. */
  private static List<String> readColumns(Dataset<Row> dataset) {
    List<String> columns = new ArrayList<>();
    Deque<SparkPlan> plans = new ArrayDeque<>();
    plans.push(dataset.queryExecution().executedPlan());
    while (!plans.isEmpty()) {
      SparkPlan plan = plans.pop();
      if (plan instanceof FileSourceScanExec scan) {
        columns.addAll(List.of(scan.requiredSchema().fieldNames()));
      }
      scala.jdk.javaapi.CollectionConverters.asJava(plan.children()).forEach(plans::push);
    }
    assertThat(columns).as("columns read by " + dataset.queryExecution().executedPlan()).isNotEmpty();
    return columns;
  }

  private static int shuffleDependencies(RDD<?> rdd) {
    int count = 0;
    for (Dependency<?> dependency : scala.jdk.javaapi.CollectionConverters.asJava(rdd.dependencies())) {
      if (dependency instanceof ShuffleDependency) {
        count++;
      }
      count += shuffleDependencies(dependency.rdd());
    }
    return count;
  }

  private static BlockDifferenceFunction function(VersionPair pair) throws Exception {
    return new BlockDifferenceFunction(
        Quantizers.forConfig(QuantConfigs.parse(pair.v1Config(), TorchaoRelease.V0_15, null)),
        Quantizers.forConfig(QuantConfigs.parse(pair.v2Config(), TorchaoRelease.V0_15, null)),
        new HashMap<>());
  }

  /**
   * Writes each config of the fixture as {@code files} Parquet files in {@code config_id=ID}
   * folders, blocks ordered by tensor and row start, or in reverse order for the version 2 configs
   * when {@code reverseVersion2}.
   */
  private static Path rewrite(String name, boolean reverseVersion2, int files) {
    Path quantized = temp.resolve(name).resolve("quantized");
    for (VersionPair pair : pairs) {
      for (String configId : List.of(pair.v1ConfigId(), pair.v2ConfigId())) {
        boolean reverse = reverseVersion2 && configId.equals(pair.v2ConfigId());
        Dataset<Row> rows = fixture.where(col("config_id").equalTo(configId)).drop("config_id")
            .orderBy(reverse ? col("tensor").desc() : col("tensor"), reverse ? col("row_start").desc() : col("row_start"));
        rows = files == 1 || configId.equals(pair.v1ConfigId()) ? rows.coalesce(1) : rows.repartition(files);
        rows.write().parquet(quantized.resolve(QuantizedSchema.CONFIG_ID + "=" + configId).toString());
      }
    }
    return quantized;
  }

  private static Dataset<Row> read(Path quantized) {
    return spark.read().schema(QuantizedSchema.SCHEMA).parquet(quantized.toString());
  }

  private static org.apache.hadoop.fs.Path hadoopPath(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }

  private static List<org.apache.hadoop.fs.Path> dataFiles(Path quantized, String configId) throws Exception {
    List<org.apache.hadoop.fs.Path> files = new ArrayList<>();
    try (var stream = Files.list(quantized.resolve(QuantizedSchema.CONFIG_ID + "=" + configId))) {
      stream.filter(file -> file.getFileName().toString().startsWith("part-")).sorted()
          .forEach(file -> files.add(hadoopPath(file)));
    }
    return files;
  }
}
