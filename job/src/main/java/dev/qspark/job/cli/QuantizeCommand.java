package dev.qspark.job.cli;

import dev.qspark.job.mixedprecision.MixedPrecisionPlan;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qspark quantize}: applies one config, or a mixed-precision plan, to a model and writes Parquet. */
@Command(
    name = "quantize",
    description = {
      "Applies one torchao weight-only config to every linear weight of a model with Spark, or the"
          + " config per module of a plan from 'qspark plan', and writes DIR/quantized (Parquet, by"
          + " config_id), DIR/metrics (Parquet) and DIR/manifest.json.",
      "Prints a summary table on standard output and progress on standard error."
    })
final class QuantizeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Mixin JobOptions options;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ConfigSource source;

  static final class ConfigSource {
    @Option(
        names = "--config",
        paramLabel = "CONFIG",
        description = "The config in torchao syntax, e.g. 'Int4WeightOnlyConfig(group_size=128)'.")
    String config;

    @Option(
        names = "--plan",
        paramLabel = "PLAN_JSON",
        description = "A plan.json from 'qspark plan': each module gets its config, and modules the plan"
            + " leaves out or maps to null are kept. Use the --torchao release of the sweep it came from.")
    String plan;
  }

  @Override
  public Integer call() throws Exception {
    if (source.config != null) {
      return JobRunner.run(spec.commandLine(), options, List.of(source.config), "config " + source.config, false);
    }
    Map<String, String> moduleConfigs = MixedPrecisionPlan.read(new Path(source.plan), new Configuration());
    return JobRunner.runPlan(spec.commandLine(), options, moduleConfigs, "plan " + source.plan);
  }
}
