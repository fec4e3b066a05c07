package dev.qspark.job.cli;

import dev.qspark.job.cluster.ClusterState;
import dev.qspark.job.cluster.StandaloneCluster;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qspark cluster down}: stops exactly the processes that {@code up} recorded. */
@Command(
    name = "down",
    description = {
      "Stops the workers and the master recorded in the state folder, by their PIDs: SIGTERM, so that each"
          + " worker stops its executors, then SIGKILL after 20 s. Logs and worker folders stay."
    })
public final class ClusterDownCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ClusterCommand.StateDirOption state;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Optional<ClusterState> stopped = StandaloneCluster.stop(state.absolute(), err);
    if (stopped.isEmpty()) {
      err.println("No cluster is recorded in " + state.absolute());
    }
    err.flush();
    return 0;
  }
}
