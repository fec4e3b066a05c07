package dev.qspark.job.cli;

import dev.qspark.job.mixedprecision.MixedPrecisionPlan;
import dev.qspark.job.mixedprecision.MixedPrecisionPlanner;
import dev.qspark.job.mixedprecision.PlanBudget;
import dev.qspark.job.mixedprecision.PlanObjective;
import dev.qspark.job.mixedprecision.PlanScore;
import dev.qspark.job.report.MetricRow;
import dev.qspark.job.report.SweepReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Chooses one config per module from a sweep to maximize accuracy under a size budget. */
@Command(
    name = "plan",
    description = {
      "Chooses one config per linear module from a sweep's metrics to maximize accuracy under a size budget,"
          + " and writes plan.json: module FQN to canonical config, as torchao's ModuleFqnToConfig takes it,"
          + " with the expected size and SQNR.",
      "Only configs that quantized a tensor in the sweep are candidates for it; a tensor no config quantized"
          + " stays unquantized. Apply the plan with qspark quantize --plan FILE."
    })
public final class PlanCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "DIR", description = "The sweep's output folder, with metrics/.")
  String sweepDir;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Budget budget;

  static final class Budget {
    @Option(names = "--budget-bits", paramLabel = "BITS", required = true,
        description = "Largest nominal bits per weight (dtype bits plus qparams), averaged over the planned"
            + " modules' weights, e.g. 4.5.")
    Double bits;

    @Option(names = "--budget-bytes", paramLabel = "BYTES", required = true, converter = ByteSizeConverter.class,
        description = "Largest stored bytes (qdata plus qparams) of the planned modules' weights, as a byte count"
            + " or with a KiB, MiB or GiB suffix (k, m or g for short), e.g. 12MiB.")
    Long bytes;
  }

  @Option(names = "--objective", paramLabel = "OBJECTIVE", defaultValue = "mean-sqnr",
      description = "What to maximize: mean-sqnr (the element-weighted mean SQNR in dB) or min-sqnr (the"
          + " lowest SQNR of any module, ties broken by the mean) (default: ${DEFAULT-VALUE}).")
  String objective;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the plan (default: DIR/plan.json).")
  String out;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: the one spark-submit set, else " + ReportSparkSession.MASTER_DEFAULT + ").")
  String master;

  @Override
  public Integer call() throws Exception {
    PlanObjective planObjective = PlanObjective.parse(objective);
    PlanBudget planBudget = budget.bits != null
        ? PlanBudget.nominalBits(budget.bits) : PlanBudget.storedBytes(budget.bytes);
    boolean sessionExisted = ReportSparkSession.exists();
    SparkSession spark = ReportSparkSession.start("qspark plan", master);
    try {
      Path metricsPath = new Path(sweepDir, SweepReport.METRICS_FOLDER);
      if (!metricsPath.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(metricsPath)) {
        throw new java.io.IOException("Cannot read sweep " + sweepDir + ": " + SweepReport.METRICS_FOLDER
            + "/ is missing; expected the output folder of qspark sweep");
      }
      List<MetricRow> metrics = SweepReport.readMetrics(spark, metricsPath);
      MixedPrecisionPlan plan = MixedPrecisionPlanner.plan(metrics, planBudget, planObjective);
      Path target = out != null ? new Path(out) : new Path(sweepDir, "plan.json");
      plan.write(target, spark.sparkContext().hadoopConfiguration(), sweepDir);
      print(plan, target, spec.commandLine().getOut());
      return 0;
    } finally {
      if (!sessionExisted) {
        spark.stop();
      }
    }
  }

  private static void print(MixedPrecisionPlan plan, Path target, PrintWriter out) {
    PlanScore expected = plan.expected();
    out.printf(Locale.ROOT, "Wrote %s: %d modules, %.4f nominal bits/weight, %d stored bytes,"
            + " min SQNR %.2f dB, element-weighted mean SQNR %.2f dB (objective %s)%n",
        target, plan.assignments().size(), expected.nominalBitsPerWeight(), expected.storedBytes(),
        expected.minSqnrDb(), expected.meanSqnrDb(), plan.objective());
    for (MixedPrecisionPlan.Baseline baseline : plan.baselines()) {
      if (baseline.withinBudget()) {
        out.printf(Locale.ROOT, "  single config %s within budget: %.4f bits/weight, min %.2f dB,"
            + " element-weighted mean %.2f dB%n",
            baseline.configId(), baseline.score().nominalBitsPerWeight(), baseline.score().minSqnrDb(),
            baseline.score().meanSqnrDb());
      }
    }
    out.flush();
  }
}
