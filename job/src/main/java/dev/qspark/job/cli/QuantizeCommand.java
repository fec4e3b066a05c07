package dev.qspark.job.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qspark quantize}: applies one config to a model and writes Parquet. */
@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    description = {
      "Applies one torchao weight-only config to every linear weight of a model with Spark and writes"
          + " DIR/quantized (Parquet, by config_id), DIR/metrics (Parquet) and DIR/manifest.json.",
      "Prints a summary table on standard output and progress on standard error."
    })
final class QuantizeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin JobOptions options;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "CONFIG",
      description = "The config in torchao syntax, e.g. 'Int4WeightOnlyConfig(group_size=128)'.")
  String config;

  @Override
  public Integer call() throws Exception {
    return JobRunner.run(spec.commandLine(), options, List.of(config), "config " + config);
  }
}
