package dev.qspark.job.cluster;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finding and stopping the processes of one recorded cluster. A PID counts as the cluster's only while
 * it is alive and its command line carries the cluster's {@link DaemonLauncher#STATE_PROPERTY}, so a
 * PID that the system has since given to another process is never signalled.
 */
public final class DaemonProcesses {

  /** Main class of the executor JVMs that standalone workers start. */
  public static final String EXECUTOR_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  /**
   * One executor JVM that a worker started.
   *
   * @param pid the java process id
   * @param appId the Spark application id, {@code app-...}
   * @param executorId the executor id within the application
   */
  public record ExecutorProcess(long pid, String appId, String executorId) {}

  private DaemonProcesses() {}

  /**
   * Returns the live process {@code pid} when its command line contains {@code stateMarker}, the
   * {@link DaemonLauncher#stateMarker} of the cluster's state folder.
   */
  public static Optional<ProcessHandle> find(long pid, String stateMarker) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(handle -> arguments(handle).contains(stateMarker));
  }

  /**
   * Stops a process with SIGTERM, so that a worker's shutdown hook stops its executors, and with
   * SIGKILL when it has not exited after {@code grace}.
   *
   * @return true when the process needed SIGKILL
   */
  public static boolean stop(ProcessHandle process, Duration grace) throws InterruptedException {
    process.destroy();
    try {
      process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return false;
    } catch (TimeoutException e) {
      process.destroyForcibly();
      try {
        process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException ignoredAfterKill) {
        // SIGKILL cannot be caught; the process is gone or a zombie whose parent will reap it.
      }
      return true;
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot wait for process " + process.pid() + " to exit", e);
    }
  }

  /** Returns the executor JVMs that a worker process started, for every application. */
  public static List<ExecutorProcess> executors(ProcessHandle worker) {
    return worker.children()
        .filter(ProcessHandle::isAlive)
        .map(DaemonProcesses::asExecutor)
        .flatMap(Optional::stream)
        .toList();
  }

  private static Optional<ExecutorProcess> asExecutor(ProcessHandle process) {
    List<String> arguments = arguments(process);
    int mainClass = arguments.indexOf(EXECUTOR_CLASS);
    if (mainClass < 0) {
      return Optional.empty();
    }
    List<String> programArguments = arguments.subList(mainClass + 1, arguments.size());
    return Optional.of(new ExecutorProcess(process.pid(), valueAfter(programArguments, "--app-id"),
        valueAfter(programArguments, "--executor-id")));
  }

  private static String valueAfter(List<String> arguments, String flag) {
    int index = arguments.indexOf(flag);
    return index >= 0 && index + 1 < arguments.size() ? arguments.get(index + 1) : null;
  }

  /** Returns the command line of a process without the command, or an empty list where the system hides it. */
  static List<String> arguments(ProcessHandle process) {
    return process.info().arguments().map(Arrays::asList).orElse(List.of());
  }
}
