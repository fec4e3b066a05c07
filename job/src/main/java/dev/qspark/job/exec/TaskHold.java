package dev.qspark.job.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * A test hook that makes quantize tasks wait at their start until a file exists, so that fault tests
 * can kill an executor or the driver while tasks are certainly running. It is off unless the Spark
 * setting {@value #HOLD_UNTIL_FILE} names a file, and it reads that setting on the executor.
 *
 * <p>Each held task first creates a marker {@code FILE.started/stage-S.partition-P.attempt-A.pid-PID}
 * (PID: the executor JVM), so a test can see which tasks run where before it releases them by creating
 * {@code FILE}. Tasks of later attempts are held the same way until the file exists.
 */
public final class TaskHold {

  /** Spark setting with the release file's local path; only for tests. */
  public static final String HOLD_UNTIL_FILE = "spark.qspark.test.holdTasksUntilFile";

  /** Suffix of the folder beside the release file that receives the markers of held tasks. */
  public static final String STARTED_SUFFIX = ".started";

  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration MAX_HOLD = Duration.ofMinutes(10);

  private TaskHold() {}

  /** Holds the calling task until the release file exists, when {@value #HOLD_UNTIL_FILE} is set. */
  static void awaitReleaseIfSet() {
    SparkEnv env = SparkEnv.get();
    TaskContext task = TaskContext.get();
    if (env == null || task == null) {
      return;
    }
    SparkConf conf = env.conf();
    if (!conf.contains(HOLD_UNTIL_FILE)) {
      return;
    }
    Path release = Path.of(conf.get(HOLD_UNTIL_FILE));
    try {
      Path started = Path.of(release + STARTED_SUFFIX);
      Files.createDirectories(started);
      Files.createFile(started.resolve("stage-" + task.stageId() + ".partition-" + task.partitionId()
          + ".attempt-" + task.attemptNumber() + ".pid-" + ProcessHandle.current().pid()));
      awaitFile(release);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot hold the task for " + HOLD_UNTIL_FILE + "=" + release, e);
    }
  }

  private static void awaitFile(Path release) {
    Instant deadline = Instant.now().plus(MAX_HOLD);
    while (!Files.exists(release)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("Timed out after " + MAX_HOLD.toMinutes() + " min waiting for "
            + release + ", the release file of " + HOLD_UNTIL_FILE);
      }
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        // Spark interrupts tasks it kills; the task ends here.
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + release, e);
      }
    }
  }
}
