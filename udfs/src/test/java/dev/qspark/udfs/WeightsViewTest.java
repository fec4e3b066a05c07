package dev.qspark.udfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.checkpoint.TensorSelection;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads the real stories260K checkpoints, bf16 and fp32, into the view's rows. */
class WeightsViewTest {

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("WeightsViewTest")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @ParameterizedTest
  @CsvSource({"stories260K, bfloat16", "stories260K-fp32, float32"})
  void rowsEqualCheckpointWeights(String model, String dtype) throws Exception {
    Checkpoint checkpoint = Checkpoint.open(model(model).toString(), new Configuration(), CheckpointOptions.DEFAULT);
    TreeSet<String> targets = new TreeSet<>();
    for (TensorEntry tensor : checkpoint.tensors()) {
      if (TensorSelection.defaults().decide(tensor).isQuantize()) {
        targets.add(tensor.name());
      }
    }

    List<Row> rows = WeightsView.of(spark, checkpoint, TensorSelection.defaults()).collectAsList();

    assertThat(rows).extracting(row -> row.getString(0)).containsExactlyInAnyOrderElementsOf(targets);
    assertThat(targets).hasSize(35);
    for (Row row : rows) {
      TensorEntry tensor = checkpoint.tensor(row.getString(0)).orElseThrow();
      try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), new Configuration())) {
        float[] expected = reader.readRows(tensor, 0, (int) tensor.rowCount());
        List<Float> values = row.getList(1);
        assertThat(values).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
          assertThat(Float.floatToRawIntBits(values.get(i))).isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
      }
      assertThat(row.getInt(2)).isEqualTo(tensor.rowLength());
      assertThat(row.getString(3)).isEqualTo(dtype);
    }
  }

  @ParameterizedTest
  @CsvSource({"q_proj, , 5", "self_attn, o_proj, 15"})
  void selectionPicksRows(String include, String exclude, int expected) throws Exception {
    Checkpoint checkpoint =
        Checkpoint.open(model("stories260K").toString(), new Configuration(), CheckpointOptions.DEFAULT);

    List<Row> rows =
        WeightsView.of(spark, checkpoint, TensorSelection.fromOptions(include, exclude)).collectAsList();

    assertThat(rows).hasSize(expected);
    assertThat(rows).allSatisfy(row -> assertThat(row.getString(0)).contains(include));
  }

  private static Path model(String name) {
    String shared = System.getProperty("qspark.shared.dir");
    return (shared != null ? Paths.get(shared) : Paths.get("..", "..", "shared")).resolve("models").resolve(name);
  }
}
