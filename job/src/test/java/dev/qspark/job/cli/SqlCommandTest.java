package dev.qspark.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs {@code qspark sql} over the real stories260K weights in a local[2] session. */
class SqlCommandTest {

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SharedSpark.start();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** Output of one run: exit code, standard output and standard error. */
  private record Run(int exitCode, String out, String err) {
    /** Returns the printed lines without spaces, since Spark pads cells to the column width. */
    List<String> cells() {
      return out.lines().map(line -> line.replace(" ", "")).toList();
    }
  }

  @Test
  void statementsPrintTables() {
    Run run = run("--model", stories(), "--rows", "50",
        "SELECT tensor, in_features, dtype FROM weights WHERE tensor LIKE '%layers.0.%' ORDER BY tensor",
        "SELECT count(*) AS quantized FROM weights"
            + " WHERE length(qspark_quantize(values, in_features, dtype, 'Int8WeightOnlyConfig()').qdata)"
            + " = size(values)");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.cells()).contains(
        "|model.layers.0.mlp.down_proj.weight|172|bfloat16|",
        "|model.layers.0.self_attn.q_proj.weight|64|bfloat16|",
        "|35|");
    assertThat(run.cells().stream().filter(line -> line.startsWith("|model.layers.0."))).hasSize(7);
  }

  @Test
  void functionsWorkWithoutModel() {
    Run run = run("SELECT qspark_qparams(array(1.0f, -2.0f, 0.5f, 0.25f), 2, 'float32',"
        + " 'Int8WeightOnlyConfig()').scale AS scale");

    assertThat(run.exitCode()).as(run.err()).isZero();
    // Int8 version 1 scales each row by its largest magnitude over 127.5, in float32.
    assertThat(run.out()).contains("[" + 2.0f / 127.5f + ", " + 0.5f / 127.5f + "]");
  }

  @Test
  void invalidStatementFailsWithOneLine() {
    Run run = run("--model", stories(), "SELECT nosuch FROM weights");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("qspark: Invalid statement 1: ").contains("nosuch");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void weightsWithoutModelNamesTheOption() {
    Run run = run("SELECT count(*) FROM weights");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("qspark: Invalid statement 1: ").contains("pass --model to define the view");
  }

  @Test
  void torchaoOptionSetsTheRelease() {
    // For bf16 weights, Int8 version 2 clamps scales at bfloat16's eps (0.0078125) under torchao 0.15, not 0.16.
    String statement = "SELECT min(array_min(qspark_qparams(values, in_features, dtype,"
        + " 'Int8WeightOnlyConfig(version=2)').scale)) AS smallest FROM weights";
    Run release15 = run("--model", stories(), statement);
    Run release16 = run("--model", stories(), "--torchao", "0.16", statement);

    assertThat(release15.exitCode()).as(release15.err()).isZero();
    assertThat(release16.exitCode()).as(release16.err()).isZero();
    assertThat(smallest(release16)).isLessThan(smallest(release15));
  }

  @Test
  void skippedWeightFailsTheStatement() {
    Run run = run("--model", stories(), "--include", "down_proj",
        "SELECT qspark_quantize(values, in_features, dtype, 'Int4WeightOnlyConfig()') FROM weights");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("qspark: Statement 1 failed: Cannot quantize a 64 x 172 bfloat16 weight");
  }

  /** Returns the one value of a one-row, one-column result. */
  private static float smallest(Run run) {
    List<String> rows = run.cells().stream().filter(line -> line.matches("\\|[0-9.E-]+\\|")).toList();
    assertThat(rows).as(run.out()).hasSize(1);
    return Float.parseFloat(rows.get(0).replace("|", ""));
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine commandLine = QsparkCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    String[] full = new String[args.length + 1];
    full[0] = "sql";
    System.arraycopy(args, 0, full, 1, args.length);
    int exitCode = commandLine.execute(full);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private static String stories() {
    String property = System.getProperty("qspark.shared.dir");
    Path shared = property != null ? Paths.get(property) : Paths.get("..", "..", "shared");
    return shared.resolve("models").resolve("stories260K").toString();
  }
}
