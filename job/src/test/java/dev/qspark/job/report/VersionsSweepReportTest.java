package dev.qspark.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.cli.QsparkCommand;
import dev.qspark.job.mixedprecision.MixedPrecisionPlan;
import dev.qspark.job.mixedprecision.MixedPrecisionPlanner;
import dev.qspark.job.mixedprecision.PlanBudget;
import dev.qspark.job.mixedprecision.PlanObjective;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report and the planner on the job's own {@code versions} sweep of stories260K. */
class VersionsSweepReportTest {

  @TempDir static Path temp;
  static SparkSession spark;
  static Path sweep;
  static String sweepOutput;

  @BeforeAll
  static void runSweep() {
    spark = SweepFixture.startSpark("VersionsSweepReportTest");
    sweep = temp.resolve("sweep");
    StringWriter out = new StringWriter();
    int exit = QsparkCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
        .execute("sweep", "--model", SweepFixture.sharedDir().resolve("models/stories260K").toString(),
            "--configs", "versions", "--out", sweep.toString(), "--master", "local[2]");
    sweepOutput = out.toString();
    assertThat(exit).as(sweepOutput).isZero();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void sweepWritesReport() {
    assertThat(sweep.resolve("report/index.html")).isRegularFile();
    assertThat(sweepOutput).contains("Report: ");
  }

  @Test
  void versionPairsDifferWhereTorchaoDiffers() throws Exception {
    List<String> lines = Files.readAllLines(sweep.resolve("report/version_comparison.csv"));
    List<String> header = List.of(lines.get(0).split(",", -1));
    Map<String, List<String>> pairs = new java.util.HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> fields = SweepReportTest.splitCsvLine(line);
      pairs.put(fields.get(header.indexOf("v1_config")), fields);
    }
    Files.copy(sweep.resolve("report/version_comparison.csv"),
        Path.of(System.getProperty("user.dir"), "target", "versions-sweep-version_comparison.csv"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(pairs).as("pairs in %s", lines).hasSize(6);
    int share = header.indexOf("differing_value_share");
    int tensors = header.indexOf("tensors");
    int sqnrDifference = header.indexOf("mean_sqnr_difference_db");
    List<String> intx = new ArrayList<>();
    for (Map.Entry<String, List<String>> pair : pairs.entrySet()) {
      String config = pair.getKey();
      List<String> fields = pair.getValue();
      if (config.startsWith("Int4WeightOnlyConfig")) {
        // Group size 128 divides neither in_features 64 nor 172, so neither version quantizes any tensor.
        assertThat(fields.get(tensors)).as(config).isEqualTo("0");
        continue;
      }
      double differing = Double.parseDouble(fields.get(share));
      if (config.startsWith("Int8WeightOnlyConfig")) {
        // Version 2 in torchao 0.15 clamps bfloat16 scales at 0.0078125, version 1 at float32's eps.
        assertThat(differing).as(config).isGreaterThan(0.5);
        assertThat(Double.parseDouble(fields.get(sqnrDifference))).as(config).isNegative();
      } else {
        // Every row of these weights has negative and positive values, so forcing 0 into an asymmetric
        // per-row range changes nothing, and symmetric qparams are the same in both versions.
        intx.add(config);
        assertThat(differing).as(config).isZero();
        assertThat(Double.parseDouble(fields.get(sqnrDifference))).as(config).isZero();
      }
    }
    assertThat(intx).hasSize(4);
  }

  @Test
  void planMeetsBudgetAndBeatsSingleConfigs() {
    List<MetricRow> metrics = SweepReport.readMetrics(spark,
        new org.apache.hadoop.fs.Path(sweep.resolve("metrics").toUri()));
    for (PlanObjective objective : PlanObjective.values()) {
      for (double budget : new double[] {4.5, 6.0, 8.5}) {
        MixedPrecisionPlan plan = MixedPrecisionPlanner.plan(metrics, PlanBudget.nominalBits(budget), objective);
        assertThat(plan.expected().nominalBitsPerWeight()).isLessThanOrEqualTo(budget + 1e-9);
        for (MixedPrecisionPlan.Baseline baseline : plan.baselines()) {
          if (baseline.withinBudget()) {
            assertThat(plan.expected().value(objective)).as("%s at %s bits against %s", objective, budget,
                baseline.configId()).isGreaterThanOrEqualTo(baseline.score().value(objective) - 1e-9);
          }
        }
      }
    }
  }
}
