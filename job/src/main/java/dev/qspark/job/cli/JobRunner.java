package dev.qspark.job.cli;

import dev.qspark.job.JobConfigs;
import dev.qspark.job.JobSettings;
import dev.qspark.job.QuantizeJob;
import dev.qspark.job.SparkSessions;
import dev.qspark.job.plan.JobConfig;
import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Runs a job for {@code quantize} and {@code sweep}: resolves the model, parses configs, runs Spark. */
final class JobRunner {

  private JobRunner() {}

  /**
   * Runs the job and returns the exit code. A SparkSession that this call creates is stopped at the
   * end; one that already exists (a test's, or spark-submit's) is left running.
   */
  static int run(CommandLine commandLine, JobOptions options, List<String> configTexts, String source)
      throws IOException {
    options.requireModelAndOut(commandLine);
    List<JobConfig> configs = JobConfigs.parse(configTexts, options.release(), options.device(), source);
    String model = ModelResolver.resolve(options.model);
    JobSettings settings = options.settings(model, configTexts);

    boolean sessionExisted = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    SparkSession spark = SparkSessions.getOrCreate(settings.master(), settings.sparkConf());
    try {
      new QuantizeJob(spark, settings, configs, commandLine.getOut(), commandLine.getErr()).run();
    } finally {
      if (!sessionExisted) {
        spark.stop();
      }
    }
    return 0;
  }
}
