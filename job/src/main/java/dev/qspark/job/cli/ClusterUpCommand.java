package dev.qspark.job.cli;

import dev.qspark.job.cluster.ClusterState;
import dev.qspark.job.cluster.SparkHome;
import dev.qspark.job.cluster.StandaloneCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code qspark cluster up}: starts the master and workers and prints the master URL. */
@Command(
    name = "up",
    description = {
      "Starts a Spark standalone master and N workers on 127.0.0.1 and waits until every worker has"
          + " registered. Prints the master URL on standard output, progress on standard error.",
      "The REST submission server is off; web UIs listen on 127.0.0.1 only."
    })
public final class ClusterUpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ClusterCommand.StateDirOption state;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--workers", paramLabel = "N", description = "Worker processes (default: ${DEFAULT-VALUE}).")
  int workers = 2;

  @Option(names = "--cores", paramLabel = "C", description = "Cores each worker offers (default: ${DEFAULT-VALUE}).")
  int cores = 1;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      description = "Memory each worker offers to its executors, such as 1g or 768m (default: ${DEFAULT-VALUE}).")
  String memory = "1g";

  @Option(
      names = "--daemon-memory",
      paramLabel = "SIZE",
      description = "Heap of the master and of each worker process (default: ${DEFAULT-VALUE}).")
  String daemonMemory = "512m";

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The master's port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = 0;

  @Option(
      names = "--webui-port",
      paramLabel = "PORT",
      description = "The master web UI's port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int webUiPort = 0;

  @Option(
      names = "--spark-home",
      paramLabel = "DIR",
      description = "Spark home with jars/ (default: $SPARK_HOME, else job/target/spark-home from the build).")
  Path sparkHome;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "How long to wait for the workers to register (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 120;

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter err = spec.commandLine().getErr();
    StandaloneCluster.Options options = new StandaloneCluster.Options(workers, cores, memory, daemonMemory, port,
        webUiPort, Duration.ofSeconds(timeoutSeconds));
    ClusterState started = StandaloneCluster.start(SparkHome.resolve(sparkHome), state.absolute(), options, err);
    err.printf("Stop it with 'qspark cluster down%s'%n",
        state.stateDir.equals(Path.of(ClusterCommand.STATE_DIR_DEFAULT)) ? "" : " --state-dir " + state.stateDir);
    err.flush();

    PrintWriter out = spec.commandLine().getOut();
    out.println(started.masterUrl());
    out.flush();
    return 0;
  }

  private void validate() {
    requirePositive("--workers", workers);
    requirePositive("--cores", cores);
    requirePositive("--timeout", timeoutSeconds);
    requireSize("--memory", memory);
    requireSize("--daemon-memory", daemonMemory);
    requirePort("--port", port);
    requirePort("--webui-port", webUiPort);
  }

  private void requirePort(String option, int value) {
    if (value < 0 || value > 65535) {
      throw new ParameterException(spec.commandLine(), "Invalid value " + value + " for " + option
          + ": expected 0 (a free port) to 65535");
    }
  }

  private void requirePositive(String option, int value) {
    if (value < 1) {
      throw new ParameterException(spec.commandLine(), "Invalid value " + value + " for " + option
          + ": expected 1 or more");
    }
  }

  private void requireSize(String option, String value) {
    if (!value.matches("[1-9][0-9]*[kmgtKMGT]")) {
      throw new ParameterException(spec.commandLine(), "Invalid value '" + value + "' for " + option
          + ": expected a size such as 512m or 2g");
    }
  }
}
