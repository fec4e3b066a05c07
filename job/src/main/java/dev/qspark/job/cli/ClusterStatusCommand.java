package dev.qspark.job.cli;

import dev.qspark.job.cluster.ClusterState;
import dev.qspark.job.cluster.DaemonLauncher;
import dev.qspark.job.cluster.DaemonProcesses;
import dev.qspark.job.cluster.MasterStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qspark cluster status}: the recorded daemons, whether each runs, and the executors of each worker. */
@Command(
    name = "status",
    description = {
      "Shows the recorded master URL, each daemon's PID and whether it runs, the executor JVMs of each worker,"
          + " and the workers and applications the master reports.",
      "Exit code 0 when every recorded daemon runs, 3 when none is recorded or any has stopped."
    })
public final class ClusterStatusCommand implements Callable<Integer> {

  /** Exit code when no cluster is recorded or a recorded daemon is not running. */
  static final int NOT_RUNNING = 3;

  @Spec CommandSpec spec;

  @Mixin ClusterCommand.StateDirOption state;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Override
  public Integer call() throws Exception {
    Path stateDir = state.absolute();
    PrintWriter out = spec.commandLine().getOut();
    Optional<ClusterState> recorded = ClusterState.read(stateDir);
    if (recorded.isEmpty()) {
      out.println("No cluster is recorded in " + stateDir);
      out.flush();
      return NOT_RUNNING;
    }

    ClusterState cluster = recorded.get();
    out.println("master URL  " + cluster.masterUrl());
    out.println("web UI      " + cluster.masterWebUiUrl());
    String marker = DaemonLauncher.stateMarker(stateDir);
    boolean allRunning = true;
    for (ClusterState.Daemon daemon : cluster.daemons()) {
      Optional<ProcessHandle> process = DaemonProcesses.find(daemon.pid(), marker);
      allRunning &= process.isPresent();
      out.printf("%-11s pid %d %s, port %d, log %s%n", daemon.name(), daemon.pid(),
          process.isPresent() ? "running" : "not running", daemon.port(), daemon.log());
      if (process.isPresent() && daemon.workDir() != null) {
        for (DaemonProcesses.ExecutorProcess executor : DaemonProcesses.executors(process.get())) {
          out.printf("  executor %s of %s, pid %d%n", executor.executorId(), executor.appId(), executor.pid());
        }
      }
    }
    Optional<MasterStatus> master = MasterStatus.fetch(cluster.masterWebUiUrl());
    out.println(master.map(status -> "master reports " + status.aliveWorkers() + " alive workers, "
        + status.activeApplications() + " running applications").orElse("master web UI not reachable"));
    out.flush();
    return allRunning ? 0 : NOT_RUNNING;
  }
}
