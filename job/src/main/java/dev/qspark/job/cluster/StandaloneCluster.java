package dev.qspark.job.cluster;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Starting and stopping a Spark standalone cluster on 127.0.0.1: one master and N workers, each a java
 * process recorded in a state folder by {@link ClusterState}. Runs on the machine that hosts the cluster.
 */
public final class StandaloneCluster {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final int LOG_TAIL_LINES = 15;

  /**
   * Sizes and ports of a cluster to start.
   *
   * @param workers number of worker processes
   * @param cores cores each worker offers to executors
   * @param memory memory each worker offers to executors, such as {@code 1g}
   * @param daemonHeap {@code -Xmx} of the master and of each worker
   * @param masterPort the master's RPC port, or 0 for a free one
   * @param masterWebUiPort the master's web UI port, or 0 for a free one
   * @param startTimeout how long to wait for every worker to register
   */
  public record Options(int workers, int cores, String memory, String daemonHeap, int masterPort,
      int masterWebUiPort, Duration startTimeout) {}

  private StandaloneCluster() {}

  /**
   * Starts a master and the workers, records them in {@code stateDir} as soon as each has started, and
   * waits until every worker has registered with the master. On failure it stops what it started.
   *
   * @throws IllegalArgumentException when {@code stateDir} records a cluster that is still running
   * @throws IOException when a daemon exits or the workers do not register within the timeout
   */
  public static ClusterState start(SparkHome sparkHome, Path stateDir, Options options, PrintWriter progress)
      throws IOException, InterruptedException {
    Optional<ClusterState> previous = ClusterState.read(stateDir);
    if (previous.isPresent() && !liveDaemons(previous.get(), stateDir).isEmpty()) {
      throw new IllegalArgumentException("Cannot start a cluster in " + stateDir + ": the cluster at "
          + previous.get().masterUrl() + " recorded there is still running; stop it with 'qspark cluster down'");
    }

    DaemonLauncher launcher = new DaemonLauncher(sparkHome, stateDir, options.daemonHeap());
    int masterPort = LocalPorts.chooseFree(options.masterPort());
    int masterWebUiPort = LocalPorts.chooseFree(options.masterWebUiPort());
    String masterUrl = "spark://" + DaemonLauncher.HOST + ":" + masterPort;
    String webUiUrl = "http://" + DaemonLauncher.HOST + ":" + masterWebUiPort;
    ClusterState state = new ClusterState(masterUrl, webUiUrl, sparkHome.path().toString(), List.of());

    try {
      Process master = launcher.startMaster(masterPort, masterWebUiPort);
      state = state.with(new ClusterState.Daemon("master", master.pid(), masterPort, masterWebUiPort,
          launcher.logFile("master").toString(), null));
      state.write(stateDir);
      progress.printf("Started master %s (pid %d), web UI %s%n", masterUrl, master.pid(), webUiUrl);
      awaitWorkers(state, stateDir, 0, options.startTimeout());

      for (int index = 1; index <= options.workers(); index++) {
        String name = "worker-" + index;
        int port = LocalPorts.chooseFree(0);
        int webUiPort = LocalPorts.chooseFree(0);
        Path workDir = stateDir.resolve("work").resolve(name);
        Process worker = launcher.startWorker(name, port, webUiPort, workDir, options.cores(), options.memory(),
            masterUrl);
        state = state.with(new ClusterState.Daemon(name, worker.pid(), port, webUiPort,
            launcher.logFile(name).toString(), workDir.toString()));
        state.write(stateDir);
        progress.printf("Started %s (pid %d) with %d %s and %s for executors, web UI http://%s:%d%n", name,
            worker.pid(), options.cores(), options.cores() == 1 ? "core" : "cores", options.memory(),
            DaemonLauncher.HOST, webUiPort);
      }
      awaitWorkers(state, stateDir, options.workers(), options.startTimeout());
    } catch (IOException | InterruptedException | RuntimeException e) {
      stopQuietly(state, stateDir, progress);
      throw e;
    }
    progress.printf("%d workers registered with %s%n", options.workers(), masterUrl);
    return state;
  }

  /**
   * Stops every recorded daemon that is still running, workers first, and deletes the record.
   *
   * @return the record that was stopped, or empty when {@code stateDir} records no cluster
   */
  public static Optional<ClusterState> stop(Path stateDir, PrintWriter progress)
      throws IOException, InterruptedException {
    Optional<ClusterState> state = ClusterState.read(stateDir);
    if (state.isEmpty()) {
      return state;
    }
    List<ClusterState.Daemon> daemons = state.get().daemons();
    String marker = DaemonLauncher.stateMarker(stateDir);
    for (int index = daemons.size() - 1; index >= 0; index--) {
      ClusterState.Daemon daemon = daemons.get(index);
      Optional<ProcessHandle> process = DaemonProcesses.find(daemon.pid(), marker);
      if (process.isEmpty()) {
        progress.printf("%s (pid %d) was not running, or the PID now belongs to another process%n",
            daemon.name(), daemon.pid());
        continue;
      }
      boolean killed = DaemonProcesses.stop(process.get(), STOP_GRACE);
      progress.printf("Stopped %s (pid %d)%s%n", daemon.name(), daemon.pid(),
          killed ? " with SIGKILL after " + STOP_GRACE.toSeconds() + " s" : "");
    }
    ClusterState.delete(stateDir);
    return state;
  }

  /** Returns the recorded daemons whose processes are still running. */
  public static List<ClusterState.Daemon> liveDaemons(ClusterState state, Path stateDir) {
    String marker = DaemonLauncher.stateMarker(stateDir);
    return state.daemons().stream()
        .filter(daemon -> DaemonProcesses.find(daemon.pid(), marker).isPresent())
        .toList();
  }

  /** Waits until the master's web UI responds and lists {@code workers} alive workers. */
  private static void awaitWorkers(ClusterState state, Path stateDir, int workers, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      requireAllRunning(state);
      Optional<MasterStatus> status = MasterStatus.fetch(state.masterWebUiUrl());
      if (status.isPresent() && status.get().aliveWorkers() >= workers) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        String seen = status.map(s -> s.aliveWorkers() + " of " + workers + " workers registered")
            .orElse("the master web UI " + state.masterWebUiUrl() + " did not respond");
        throw new IOException("Cannot start the cluster: " + seen + " after " + timeout.toSeconds()
            + " s; logs are in " + stateDir.resolve("logs"));
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  /**
   * Fails when a daemon this call started has exited. It checks liveness only: the PIDs were just
   * started here, and right after the start the command line can still be unreadable while nohup
   * replaces itself with java, so the state marker is checked only when stopping.
   */
  private static void requireAllRunning(ClusterState state) throws IOException {
    for (ClusterState.Daemon daemon : state.daemons()) {
      if (ProcessHandle.of(daemon.pid()).filter(ProcessHandle::isAlive).isEmpty()) {
        throw new IOException("Cannot start the cluster: " + daemon.name() + " (pid " + daemon.pid()
            + ") exited; the end of " + daemon.log() + ": " + logTail(Path.of(daemon.log())));
      }
    }
  }

  private static String logTail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static void stopQuietly(ClusterState state, Path stateDir, PrintWriter progress) {
    if (state.daemons().isEmpty()) {
      return;
    }
    try {
      progress.println("Stopping the daemons started so far");
      stop(stateDir, progress);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      progress.printf("Stopping the daemons recorded in %s was interrupted; run 'qspark cluster down'%n", stateDir);
    } catch (IOException | RuntimeException e) {
      progress.printf("Cannot stop the daemons recorded in %s: %s%n", stateDir, e);
    }
  }
}
