package dev.qspark.job.mixedprecision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.cli.QsparkCommand;
import dev.qspark.job.report.MetricRow;
import dev.qspark.job.report.SweepFixture;
import dev.qspark.job.report.SweepReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans on a real stories260K sweep and checks the plan against every single config. */
class PlanOnSweepTest {

  static final List<String> CONFIGS = List.of(
      "Int4WeightOnlyConfig(group_size=32)",
      "Int4WeightOnlyConfig(group_size=64)",
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerAxis(0))",
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32))",
      "Int8WeightOnlyConfig(version=2)");

  @TempDir static Path temp;
  static SparkSession spark;
  static Path sweep;
  static List<MetricRow> metrics;

  @BeforeAll
  static void writeSweep() throws Exception {
    spark = SweepFixture.startSpark("PlanOnSweepTest");
    sweep = temp.resolve("sweep");
    SweepFixture.write(spark, SweepFixture.sharedDir().resolve("models/stories260K"), sweep, CONFIGS);
    metrics = SweepReport.readMetrics(spark, new org.apache.hadoop.fs.Path(sweep.resolve("metrics").toUri()));
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void planBeatsEverySingleConfigWithinBudget() {
    for (PlanObjective objective : PlanObjective.values()) {
      for (double budget : new double[] {4.6, 5.0, 6.0, 9.0}) {
        MixedPrecisionPlan plan = MixedPrecisionPlanner.plan(metrics, PlanBudget.nominalBits(budget), objective);
        assertThat(plan.expected().nominalBitsPerWeight()).as("%s at %s bits", objective, budget)
            .isLessThanOrEqualTo(budget + 1e-9);
        assertThat(plan.exact()).isTrue();
        int compared = 0;
        for (MixedPrecisionPlan.Baseline baseline : plan.baselines()) {
          if (baseline.withinBudget()) {
            compared++;
            assertThat(plan.expected().value(objective)).as("%s at %s bits against %s", objective, budget,
                baseline.configId()).isGreaterThanOrEqualTo(baseline.score().value(objective) - 1e-9);
          }
        }
        if (budget >= 5.0) {
          assertThat(compared).as("single configs within %s bits", budget).isPositive();
        }
      }
    }
  }

  @Test
  void planMixesConfigsBetweenSingleConfigSizes() {
    MixedPrecisionPlan plan = MixedPrecisionPlanner.plan(metrics, PlanBudget.nominalBits(6.0), PlanObjective.MEAN_SQNR);
    long distinct = plan.assignments().stream().map(a -> a.option().configId()).distinct().count();
    assertThat(distinct).isGreaterThan(1);
  }

  @Test
  void planCommandWritesReadablePlan() throws Exception {
    Path planFile = temp.resolve("plan.json");
    StringWriter out = new StringWriter();
    int exit = QsparkCommand.commandLine().setOut(new PrintWriter(out))
        .execute("plan", sweep.toString(), "--budget-bits", "5.0", "--objective", "min-sqnr", "--out",
            planFile.toString(), "--master", "local[2]");
    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("Wrote").contains("min-sqnr");

    Map<String, String> modules = MixedPrecisionPlan.read(
        new org.apache.hadoop.fs.Path(planFile.toUri()), new Configuration());
    assertThat(modules).hasSize(35);
    assertThat(modules).containsKey("model.layers.0.self_attn.q_proj");
    for (Map.Entry<String, String> entry : modules.entrySet()) {
      assertThat(entry.getKey()).doesNotEndWith(".weight");
      assertThat(entry.getValue()).as(entry.getKey()).matches("(Int4|Intx|Int8)WeightOnlyConfig\\(.*\\)");
    }
    // in_features 172 is not divisible by 32 or 64, so only per-row configs can quantize down_proj.
    assertThat(modules.get("model.layers.3.mlp.down_proj")).matches(".*(PerAxis|PerRow).*");
  }

  @Test
  void quantizeAppliesPlanPerModule() throws Exception {
    Path planFile = temp.resolve("plan-applied.json");
    int planExit = QsparkCommand.commandLine().setOut(new PrintWriter(new StringWriter()))
        .execute("plan", sweep.toString(), "--budget-bits", "6.0", "--out", planFile.toString(),
            "--master", "local[2]");
    assertThat(planExit).isZero();
    Map<String, String> modules = MixedPrecisionPlan.read(
        new org.apache.hadoop.fs.Path(planFile.toUri()), new Configuration());

    Path out = temp.resolve("planned");
    StringWriter output = new StringWriter();
    int exit = QsparkCommand.commandLine().setOut(new PrintWriter(output)).setErr(new PrintWriter(output))
        .execute("quantize", "--model", SweepFixture.sharedDir().resolve("models/stories260K").toString(),
            "--plan", planFile.toString(), "--out", out.toString(), "--master", "local[2]");
    assertThat(exit).as(output.toString()).isZero();

    List<MetricRow> applied = SweepReport.readMetrics(spark, new org.apache.hadoop.fs.Path(out.resolve("metrics").toUri()));
    int quantized = 0;
    for (MetricRow row : applied) {
      String module = row.tensor().substring(0, row.tensor().lastIndexOf('.'));
      String assigned = modules.get(module);
      boolean planned = assigned != null && assigned.equals(row.config());
      if (planned) {
        quantized++;
        assertThat(row.status()).as("%s under %s", row.tensor(), row.configId()).isEqualTo("quantized");
      } else {
        assertThat(row.status()).as("%s under %s", row.tensor(), row.configId()).isEqualTo("kept");
      }
    }
    assertThat(quantized).isEqualTo(modules.values().stream().filter(java.util.Objects::nonNull).count());
  }
}
