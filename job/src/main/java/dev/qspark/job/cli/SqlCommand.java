package dev.qspark.job.cli;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorSelection;
import dev.qspark.job.SparkSessions;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.udfs.QsparkFunctions;
import dev.qspark.udfs.UdfSettings;
import dev.qspark.udfs.WeightsView;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import scala.Console;
import scala.runtime.BoxedUnit;

/**
 * {@code qspark sql}: runs Spark SQL statements with qspark's SQL functions registered, optionally over
 * a view of a model's weights, and prints each result as Spark's {@code show} does.
 */
@Command(
    name = "sql",
    description = {
      "Runs Spark SQL statements with qspark_quantize and qspark_qparams registered, and prints each"
          + " result as a table.",
      "With --model, the view 'weights' has one row per weight that quantize would quantize: tensor string,"
          + " values array<float> (the whole weight, row-major), in_features int and dtype string.",
      "A run's output reads as a table too: SELECT ... FROM parquet.`DIR/metrics` or parquet.`DIR/quantized`."
    },
    footer = {
      "",
      "  qspark_quantize(values array<float>, in_features int, dtype string, config string)",
      "    -> struct<qdata binary, scale array<float>, zero_point array<float>>",
      "  qspark_qparams(values array<float>, in_features int, dtype string, config string)",
      "    -> struct<scale array<float>, zero_point array<float>>",
      "dtype is float32, bfloat16 or float16, and config is in torchao syntax. A weight that the config"
          + " skips or rejects fails the statement.",
      "",
      "Example:",
      "  ./qspark sql --model ../shared/models/stories260K --rows 50 \\",
      "    \"SELECT tensor, length(qspark_quantize(values, in_features, dtype,",
      "      'Int8WeightOnlyConfig()').qdata) AS qdata_bytes FROM weights\""
    })
public final class SqlCommand implements Callable<Integer> {

  /** The view of the model's weights. */
  static final String VIEW = "weights";

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(arity = "1..*", paramLabel = "STATEMENT", description = "Spark SQL statements, run in order.")
  List<String> statements;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description = "A checkpoint (as quantize takes it) whose weights become the view 'weights'.")
  String model;

  @Option(
      names = "--include",
      paramLabel = "REGEX",
      description = "Put the 2-D F32/BF16/F16 tensors whose name contains a match of REGEX into 'weights',"
          + " instead of the linear weights.")
  String include;

  @Option(
      names = "--exclude",
      paramLabel = "REGEX",
      description = "Leave out of 'weights' the tensors whose name contains a match of REGEX; wins over --include.")
  String exclude;

  @Option(
      names = "--torchao",
      paramLabel = "RELEASE",
      description = "torchao release whose defaults, rules and numerics the functions follow: 0.15, 0.16, 0.17"
          + " or 0.18 (default: 0.15). Sets " + UdfSettings.TORCHAO_KEY + ".")
  String torchao;

  @Option(
      names = "--device-arithmetic",
      paramLabel = "DEVICE",
      description = "Device whose float32 division the functions reproduce: cpu, cuda or xpu (default: the"
          + " device torchao runs each format on). Sets " + UdfSettings.DEVICE_ARITHMETIC_KEY + ".")
  String deviceArithmetic;

  @Option(
      names = "--rows",
      paramLabel = "N",
      defaultValue = "20",
      description = "Rows to print per result (default: ${DEFAULT-VALUE}).")
  int rows;

  @Option(
      names = "--truncate",
      paramLabel = "N",
      defaultValue = "60",
      description = "Characters to print per cell, 0 for all (default: ${DEFAULT-VALUE}).")
  int truncate;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() throws Exception {
    if (rows < 1) {
      throw new IllegalArgumentException("Invalid --rows " + rows + ": expected a positive number");
    }
    if (truncate < 0) {
      throw new IllegalArgumentException("Invalid --truncate " + truncate + ": expected 0 or a positive number");
    }
    Map<String, String> sparkConf = new LinkedHashMap<>(spark.conf);
    if (torchao != null) {
      sparkConf.put(UdfSettings.TORCHAO_KEY, TorchaoRelease.parse(torchao).label());
    }
    if (deviceArithmetic != null) {
      sparkConf.put(UdfSettings.DEVICE_ARITHMETIC_KEY, DeviceArithmetic.parse(deviceArithmetic).label());
    }
    TensorSelection selection = TensorSelection.fromOptions(include, exclude);
    // The headers are read before Spark starts, so that a wrong --model fails at once.
    Checkpoint checkpoint = model == null ? null
        : Checkpoint.open(ModelResolver.resolve(model), SparkOptions.hadoopConf(sparkConf), CheckpointOptions.DEFAULT);

    SparkSessions.hideTaskFailureLogs(spark.master);
    SparkSession session = SparkSessions.getOrCreate(spark.master, sparkConf);
    QsparkFunctions.register(session);
    if (checkpoint != null) {
      WeightsView.of(session, checkpoint, selection).createOrReplaceTempView(VIEW);
    }
    PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < statements.size(); i++) {
      try {
        out.print(shown(session.sql(statements.get(i))));
      } catch (Exception e) {
        throw userError(i + 1, e);
      }
      out.flush();
    }
    return 0;
  }

  /**
   * Returns an invalid-input error for a statement that does not parse or resolve, or whose query
   * failed on invalid input such as a rejected config; returns {@code e} itself for any other failure.
   */
  private Exception userError(int statement, Exception e) {
    if (e instanceof AnalysisException analysis) {
      String message = "Invalid statement " + statement + ": " + analysis.getSimpleMessage();
      boolean viewMissing = "TABLE_OR_VIEW_NOT_FOUND".equals(analysis.getCondition())
          && analysis.getSimpleMessage().contains("`" + VIEW + "`");
      if (model == null && viewMissing) {
        message += "; pass --model to define the view '" + VIEW + "'";
      }
      return new IllegalArgumentException(message, e);
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IllegalArgumentException invalid) {
        return new IllegalArgumentException("Statement " + statement + " failed: " + invalid.getMessage(), e);
      }
    }
    return e;
  }

  /** Returns what Spark's {@code show} prints for the first {@link #rows} rows, cells cut at {@link #truncate}. */
  private String shown(Dataset<Row> result) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Console.withOut(printed, () -> {
      result.show(rows, truncate);
      return BoxedUnit.UNIT;
    });
    return printed.toString(StandardCharsets.UTF_8);
  }
}
