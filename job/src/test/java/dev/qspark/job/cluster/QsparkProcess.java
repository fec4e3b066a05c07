package dev.qspark.job.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code ./qspark} launcher run as a child process, as a user runs it, with standard output and error
 * in one log file. The launcher replaces itself with java, so {@link #pid()} is the driver JVM's PID.
 */
final class QsparkProcess {

  private static final int LOG_TAIL_CHARS = 6000;

  private final Process process;
  private final Path log;

  private QsparkProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The checkout root, which contains the {@code qspark} launcher and the built job jar. */
  static Path root() {
    String root = System.getProperty("qspark.root");
    if (root == null) {
      throw new IllegalStateException("System property qspark.root is not set; run the cluster tests through Maven");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  /** Starts {@code ./qspark ARGS}, logging to {@code log}. */
  static QsparkProcess start(Path log, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(root().resolve("qspark").toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(root().toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("QSPARK_SKIP_BUILD", "1");
    return new QsparkProcess(builder.start(), log);
  }

  long pid() {
    return process.pid();
  }

  /**
   * Waits for the process to exit and returns its exit code.
   *
   * @throws AssertionError when it runs longer than {@code timeout}; the process is then killed
   */
  int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor();
      throw new AssertionError("./qspark ran longer than " + timeout + ": " + logTail());
    }
    return process.exitValue();
  }

  /** Kills the process with SIGKILL and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Returns the end of the log, for assertion messages. */
  String logTail() {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - LOG_TAIL_CHARS));
    } catch (IOException e) {
      return "(log " + log + " unreadable: " + e.getMessage() + ")";
    }
  }

  /** Runs {@code ./qspark ARGS} to the end and requires exit code 0. */
  static void runSuccessfully(Path log, Duration timeout, List<String> arguments)
      throws IOException, InterruptedException {
    QsparkProcess run = start(log, arguments);
    int exitCode = run.await(timeout);
    if (exitCode != 0) {
      throw new AssertionError("./qspark " + String.join(" ", arguments) + " exited with " + exitCode + ": "
          + run.logTail());
    }
  }
}
