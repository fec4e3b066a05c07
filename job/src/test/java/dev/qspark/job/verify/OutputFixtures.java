package dev.qspark.job.verify;

import dev.qspark.kernels.TorchaoRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The output fixtures the verify tests use. */
public final class OutputFixtures {

  /** One config of each format family, by config id; Int4 skips and Intx rejects down_proj (in_features 172). */
  public static final Map<String, String> CONFIGS = configs();

  private OutputFixtures() {}

  /** Returns a writer of the stories260K output with {@link #CONFIGS} under torchao 0.15. */
  public static Writer stories(SparkSession spark) throws IOException {
    OutputFixture fixture = new OutputFixture(spark, storiesModel(), TorchaoRelease.V0_15, CONFIGS);
    return fixture::write;
  }

  /** Writes an output folder, passing its rows through edits. */
  public interface Writer {
    void write(Path dir, UnaryOperator<List<Row>> quantizedEdit, UnaryOperator<List<Row>> metricsEdit)
        throws IOException;
  }

  /** Returns the bf16 stories260K checkpoint folder beside the repository. */
  public static Path storiesModel() {
    String shared = System.getProperty("qspark.shared.dir");
    Path dir = (shared != null ? Paths.get(shared) : Paths.get("..", "..", "shared"))
        .resolve("models").resolve("stories260K");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("Cannot find stories260K at " + dir.toAbsolutePath()
          + "; set -Dqspark.shared.dir to the folder with models/");
    }
    return dir;
  }

  private static Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("int4-v2-g32", "Int4WeightOnlyConfig(group_size=32)");
    configs.put("int4-v1-g32", "Int4WeightOnlyConfig(group_size=32, version=1)");
    configs.put("int8-v1", "Int8WeightOnlyConfig()");
    configs.put("int8-v2-per-tensor", "Int8WeightOnlyConfig(version=2, granularity=PerTensor())");
    configs.put("intx-int4-g32", "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32))");
    configs.put("uint3-g32", "UIntXWeightOnlyConfig(dtype=torch.uint3, group_size=32)");
    return Collections.unmodifiableMap(configs);
  }
}
