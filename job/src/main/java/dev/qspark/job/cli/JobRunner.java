package dev.qspark.job.cli;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.InvalidCheckpointException;
import dev.qspark.checkpoint.TensorSelection;
import dev.qspark.job.JobConfigs;
import dev.qspark.job.JobSettings;
import dev.qspark.job.QuantizeJob;
import dev.qspark.job.SparkSessions;
import dev.qspark.job.exec.KernelWarmUp;
import dev.qspark.job.fetch.KnownModel;
import dev.qspark.job.output.OutputFolder;
import dev.qspark.job.output.QuantizedWriteSettings;
import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.ModuleConfigPlan;
import dev.qspark.job.plan.Planner;
import dev.qspark.job.report.SweepReport;
import dev.qspark.kernels.config.QuantConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Runs a job for {@code quantize} and {@code sweep}: resolves the model, parses configs, runs Spark. */
final class JobRunner {

  private JobRunner() {}

  /**
   * Runs the job and returns the exit code. A SparkSession that this call creates is stopped at the
   * end; one that already exists (a test's, or spark-submit's) is left running.
   *
   * @param writeReport whether to write {@code DIR/report/} with {@link SweepReport} after the job
   */
  static int run(CommandLine commandLine, JobOptions options, List<String> configTexts, String source,
      boolean writeReport) throws IOException {
    return run(commandLine, options, configTexts, source, writeReport, null);
  }

  /**
   * Runs the job with the configs of a mixed-precision plan, each applied only to the modules the plan
   * assigns it.
   *
   * @param moduleConfigTexts module FQN to config in torchao syntax, or to null for an unquantized module
   */
  static int runPlan(CommandLine commandLine, JobOptions options, Map<String, String> moduleConfigTexts,
      String source) throws IOException {
    return run(commandLine, options, null, source, false, moduleConfigTexts);
  }

  private static int run(CommandLine commandLine, JobOptions options, List<String> requestedTexts, String source,
      boolean writeReport, Map<String, String> moduleConfigTexts) throws IOException {
    List<String> configTexts = requestedTexts;
    if (moduleConfigTexts != null) {
      configTexts = moduleConfigTexts.values().stream().filter(Objects::nonNull).distinct().collect(Collectors.toList());
      if (configTexts.isEmpty()) {
        throw new IllegalArgumentException("Cannot quantize with " + source + ": it leaves every module unquantized");
      }
    }
    List<JobConfig> configs = JobConfigs.parse(configTexts, options.release(), options.device(), source);
    ModuleConfigPlan modulePlan = moduleConfigTexts == null ? null : modulePlan(moduleConfigTexts, configTexts, configs);
    String model = ModelResolver.resolve(options.model);
    JobSettings settings = options.settings(model, configTexts);
    checkBeforeSpark(settings);

    boolean sessionExisted = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    SparkSession spark;
    if (SparkSessions.isInProcess(SparkSessions.expectedMaster(settings.master()))) {
      // The tasks run in this JVM, so kernels compiled while Spark starts serve them.
      try (KernelWarmUp warmUp = KernelWarmUp.start(configs)) {
        spark = SparkSessions.getOrCreate(settings.master(), settings.sparkConf());
      }
    } else {
      spark = SparkSessions.getOrCreate(settings.master(), settings.sparkConf());
    }
    try {
      new QuantizeJob(spark, settings, configs, modulePlan, commandLine.getOut(), commandLine.getErr()).run();
      if (writeReport) {
        org.apache.hadoop.fs.Path report = SweepReport.write(spark, settings.out());
        commandLine.getOut().println("Report: " + new org.apache.hadoop.fs.Path(report, SweepReport.INDEX_FILE));
        commandLine.getOut().flush();
      }
    } finally {
      if (!sessionExisted) {
        spark.stop();
      }
    }
    return 0;
  }

  /**
   * Checks the sizes and patterns of the options, opens the checkpoint headers and checks the output
   * folder before Spark starts, so that a wrong {@code --model}, {@code --unit-bytes},
   * {@code --partitions} or {@code --include} or an existing {@code --out} fails in a second rather
   * than after Spark's startup.
   * The Hadoop configuration is {@link SparkOptions#hadoopConf}'s.
   */
  private static void checkBeforeSpark(JobSettings settings) throws IOException {
    Planner.checkUnitBytes(settings.unitBytes());
    Planner.checkPartitions(settings.partitions());
    TensorSelection.fromOptions(settings.include(), settings.exclude());
    Configuration conf = SparkOptions.hadoopConf(settings.sparkConf());
    try {
      Checkpoint.open(settings.model(), conf, CheckpointOptions.DEFAULT);
    } catch (InvalidCheckpointException e) {
      // A bare word that names no file was most likely meant as a known model name.
      if (e.getCause() instanceof FileNotFoundException && !settings.model().contains("/")) {
        throw new InvalidCheckpointException(e.getMessage() + "; known model names: " + KnownModel.names(), e);
      }
      throw e;
    }
    OutputFolder.check(settings.out(), conf, settings.overwrite());
    QuantizedWriteSettings.zstdLevel(conf);
  }

  /** Pairs each module with the parsed config of its text; configs are in the order of {@code configTexts}. */
  private static ModuleConfigPlan modulePlan(
      Map<String, String> moduleConfigTexts, List<String> configTexts, List<JobConfig> configs) {
    Map<String, QuantConfig> moduleToConfig = new LinkedHashMap<>();
    moduleConfigTexts.forEach((module, text) ->
        moduleToConfig.put(module, text == null ? null : configs.get(configTexts.indexOf(text)).config()));
    return new ModuleConfigPlan(moduleToConfig);
  }
}
