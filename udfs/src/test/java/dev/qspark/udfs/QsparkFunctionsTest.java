package dev.qspark.udfs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the SQL functions on real stories260K weights in a local[2] session. */
class QsparkFunctionsTest {

  /** Weights whose in_features (64) every config below quantizes. */
  private static final List<String> TENSORS = List.of(
      "model.layers.0.self_attn.q_proj.weight",
      "model.layers.1.self_attn.k_proj.weight",
      "model.layers.2.mlp.up_proj.weight",
      "model.layers.4.self_attn.o_proj.weight");

  private static final List<String> CONFIGS = List.of(
      "Int4WeightOnlyConfig(group_size=32)",
      "Int4WeightOnlyConfig(group_size=32, version=1)",
      "Int8WeightOnlyConfig()",
      "Int8WeightOnlyConfig(version=2, granularity=PerTensor())",
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32))",
      "IntxWeightOnlyConfig(weight_dtype=torch.int3, granularity=PerAxis(0), mapping_type=MappingType.ASYMMETRIC)",
      "UIntXWeightOnlyConfig(dtype=torch.uint3, group_size=32)");

  private static final StructType WEIGHTS_SCHEMA = new StructType()
      .add("tensor", DataTypes.StringType)
      .add("values", DataTypes.createArrayType(DataTypes.FloatType))
      .add("in_features", DataTypes.IntegerType)
      .add("dtype", DataTypes.StringType);

  private static SparkSession spark;
  private static Checkpoint checkpoint;

  @BeforeAll
  static void startSpark() throws IOException {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("QsparkFunctionsTest")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    QsparkFunctions.register(spark);
    checkpoint = Checkpoint.open(storiesModel().toString(), new Configuration(), CheckpointOptions.DEFAULT);

    List<Row> weights = new ArrayList<>();
    for (String name : TENSORS) {
      weights.add(weightRow(name));
    }
    weights.add(weightRow("model.layers.0.mlp.down_proj.weight"));
    spark.createDataFrame(weights, WEIGHTS_SCHEMA).createOrReplaceTempView("weights");
    List<Row> configs = new ArrayList<>();
    for (String config : CONFIGS) {
      configs.add(RowFactory.create(config));
    }
    spark.createDataFrame(configs, new StructType().add("config", DataTypes.StringType))
        .createOrReplaceTempView("configs");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void sqlMatchesKernelsBitForBit() throws IOException {
    List<Row> rows = spark.sql("SELECT w.tensor, c.config, w.values, w.in_features,"
            + " qspark_quantize(w.values, w.in_features, w.dtype, c.config) AS q"
            + " FROM weights w CROSS JOIN configs c WHERE w.in_features = 64")
        .collectAsList();

    assertThat(rows).hasSize(TENSORS.size() * CONFIGS.size());
    for (Row row : rows) {
      String tensor = row.getString(0);
      String config = row.getString(1);
      QuantizedBlock expected = quantizeDirectly(config, floats(row.getList(2)), row.getInt(3));
      Row result = row.getStruct(4);

      assertThat((byte[]) result.getAs("qdata")).as("%s %s qdata", tensor, config)
          .containsExactly(expected.qdata());
      assertThat(bits(result.getList(1))).as("%s %s scale", tensor, config)
          .containsExactly(bits(expected.scale()));
      if (expected.zeroPoint() == null) {
        assertThat(result.isNullAt(2)).as("%s %s zero_point is NULL", tensor, config).isTrue();
      } else {
        assertThat(bits(result.getList(2))).as("%s %s zero_point", tensor, config)
            .containsExactly(bits(expected.zeroPoint()));
      }
    }
  }

  @Test
  void qparamsMatchQuantize() {
    List<Row> rows = spark.sql("SELECT qspark_quantize(w.values, w.in_features, w.dtype, c.config) AS q,"
            + " qspark_qparams(w.values, w.in_features, w.dtype, c.config) AS p"
            + " FROM weights w CROSS JOIN configs c WHERE w.in_features = 64")
        .collectAsList();

    assertThat(rows).isNotEmpty();
    for (Row row : rows) {
      Row quantized = row.getStruct(0);
      Row qparams = row.getStruct(1);
      assertThat(qparams.getList(0)).isEqualTo(quantized.getList(1));
      assertThat(qparams.isNullAt(1)).isEqualTo(quantized.isNullAt(2));
      if (!qparams.isNullAt(1)) {
        assertThat(qparams.getList(1)).isEqualTo(quantized.getList(2));
      }
    }
  }

  @Test
  void datasetApiMatchesSql() {
    Dataset<Row> weights = spark.table("weights").where(col("in_features").equalTo(64))
        .crossJoin(spark.table("configs"));

    List<Row> fromDataset = weights
        .select(col("tensor"), col("config"),
            QsparkFunctions.quantize(col("values"), col("in_features"), col("dtype"), col("config")).as("q"))
        .orderBy("tensor", "config")
        .collectAsList();
    List<Row> fromSql = spark.sql("SELECT w.tensor, c.config,"
            + " qspark_quantize(w.values, w.in_features, w.dtype, c.config) AS q"
            + " FROM weights w CROSS JOIN configs c WHERE w.in_features = 64 ORDER BY tensor, config")
        .collectAsList();

    assertThat(fromDataset).hasSameSizeAs(fromSql);
    for (int i = 0; i < fromSql.size(); i++) {
      Row expected = fromSql.get(i).getStruct(2);
      Row actual = fromDataset.get(i).getStruct(2);
      assertThat((byte[]) actual.getAs("qdata")).as("row %d qdata", i).containsExactly((byte[]) expected.getAs("qdata"));
      assertThat(actual.getList(1)).as("row %d scale", i).isEqualTo(expected.getList(1));
    }
  }

  @Test
  void nullArgumentGivesNull() {
    Row row = spark.sql("SELECT"
            + " qspark_quantize(CAST(NULL AS array<float>), 64, 'bfloat16', 'Int8WeightOnlyConfig()'),"
            + " qspark_quantize(w.values, w.in_features, w.dtype, CAST(NULL AS string)),"
            + " qspark_qparams(w.values, CAST(NULL AS int), w.dtype, 'Int8WeightOnlyConfig()')"
            + " FROM weights w WHERE w.tensor = '" + TENSORS.get(0) + "'")
        .first();

    assertThat(row.isNullAt(0)).isTrue();
    assertThat(row.isNullAt(1)).isTrue();
    assertThat(row.isNullAt(2)).isTrue();
  }

  @Test
  void invalidConfigNamed() {
    String badConfig = "Int4WeightOnlyConfig(group_sze=32)";

    assertThatThrownBy(() -> spark.sql("SELECT qspark_quantize(values, in_features, dtype, '" + badConfig + "')"
            + " FROM weights").collectAsList())
        .hasStackTraceContaining("Cannot quantize with config " + badConfig)
        .hasStackTraceContaining("group_sze");
  }

  @Test
  void skippedWeightRaises() {
    assertThatThrownBy(() -> spark.sql("SELECT qspark_quantize(values, in_features, dtype,"
            + " 'Int4WeightOnlyConfig(group_size=32)') FROM weights WHERE in_features = 172").collectAsList())
        .hasStackTraceContaining("64 x 172 bfloat16 weight with config Int4WeightOnlyConfig(group_size=32)")
        .hasStackTraceContaining("in_features 172 is not divisible by group_size 32, so torchao leaves the weight"
            + " unquantized");
  }

  @Test
  void rejectedWeightRaises() {
    assertThatThrownBy(() -> spark.sql("SELECT qspark_quantize(values, in_features, dtype,"
            + " 'IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32))')"
            + " FROM weights WHERE in_features = 172").collectAsList())
        .hasStackTraceContaining("torchao rejects it")
        .hasStackTraceContaining("not divisible by the group size 32");
  }

  @Test
  void valueOutsideDtypeRejected() {
    assertThatThrownBy(() -> spark.sql("SELECT qspark_quantize(array(CAST(0.5 AS float), CAST(0.1 AS float)), 2,"
            + " 'bfloat16', 'Int8WeightOnlyConfig()')").collectAsList())
        .hasStackTraceContaining("value 1 (0.1) is not exactly representable in bfloat16");
  }

  @Test
  void inFeaturesMustDivideValues() {
    assertThatThrownBy(() -> spark.sql("SELECT qspark_quantize(values, 60, dtype, 'Int8WeightOnlyConfig()')"
            + " FROM weights WHERE tensor = '" + TENSORS.get(0) + "'").collectAsList())
        .hasStackTraceContaining("in_features 60 must be positive and divide the 4096 values");
  }

  @Test
  void confSelectsRelease() {
    SparkSession session018 = spark.newSession();
    session018.conf().set(UdfSettings.TORCHAO_KEY, "0.18");
    QsparkFunctions.register(session018);
    session018.createDataFrame(List.of(weightRowUnchecked(TENSORS.get(0))), WEIGHTS_SCHEMA)
        .createOrReplaceTempView("weights");

    // PerGroup granularity for Int8WeightOnlyConfig(version=2) exists from torchao 0.17.
    String config = "Int8WeightOnlyConfig(version=2, granularity=PerGroup(32))";
    Row at018 = session018.sql("SELECT qspark_qparams(values, in_features, dtype, '" + config + "')"
        + " FROM weights").first().getStruct(0);

    List<Float> expectedScale = boxed(quantizeDirectly(config, TorchaoRelease.V0_18,
        floats(session018.table("weights").first().getList(1)), 64).scale());
    assertThat(at018.<Float>getList(0)).isEqualTo(expectedScale);
    assertThatThrownBy(() -> spark.sql("SELECT qspark_qparams(values, in_features, dtype, '" + config + "')"
            + " FROM weights WHERE tensor = '" + TENSORS.get(0) + "'").collectAsList())
        .hasStackTraceContaining("in torchao 0.15");
  }

  @Test
  void invalidConfRejected() {
    SparkSession session = spark.newSession();
    session.conf().set(UdfSettings.DEVICE_ARITHMETIC_KEY, "tpu");

    assertThatThrownBy(() -> QsparkFunctions.register(session))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(UdfSettings.DEVICE_ARITHMETIC_KEY)
        .hasMessageContaining("'tpu'");
  }

  private static QuantizedBlock quantizeDirectly(String config, float[] values, int inFeatures) {
    return quantizeDirectly(config, TorchaoRelease.V0_15, values, inFeatures);
  }

  private static QuantizedBlock quantizeDirectly(
      String config, TorchaoRelease release, float[] values, int inFeatures) {
    WeightQuantizer quantizer = Quantizers.forConfig(QuantConfigs.parse(config, release, null));
    WeightBlock block =
        WeightBlock.wholeTensor(values, values.length / inFeatures, inFeatures, FloatDtype.BFLOAT16);
    return quantizer.quantize(block, TensorRange.of(values));
  }

  private static Row weightRow(String name) throws IOException {
    TensorEntry entry = checkpoint.tensor(name).orElseThrow();
    try (TensorBlockReader reader = new TensorBlockReader(entry.file(), new Configuration())) {
      float[] values = reader.readRows(entry, 0, (int) entry.rowCount());
      return RowFactory.create(name, boxed(values).toArray(), (int) entry.rowLength(), "bfloat16");
    }
  }

  private static Row weightRowUnchecked(String name) {
    try {
      return weightRow(name);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + name + " from stories260K", e);
    }
  }

  private static Path storiesModel() {
    String shared = System.getProperty("qspark.shared.dir");
    Path dir = (shared != null ? Paths.get(shared) : Paths.get("..", "..", "shared"))
        .resolve("models").resolve("stories260K");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("Cannot find stories260K at " + dir.toAbsolutePath()
          + "; set -Dqspark.shared.dir to the folder with models/");
    }
    return dir;
  }

  private static List<Float> boxed(float[] values) {
    List<Float> boxed = new ArrayList<>(values.length);
    for (float value : values) {
      boxed.add(value);
    }
    return boxed;
  }

  private static float[] floats(List<Object> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Float) values.get(i);
    }
    return out;
  }

  private static int[] bits(List<Object> values) {
    return bits(floats(values));
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToIntBits(values[i]);
    }
    return bits;
  }
}
