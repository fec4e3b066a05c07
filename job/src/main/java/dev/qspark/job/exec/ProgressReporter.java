package dev.qspark.job.exec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.spark.util.LongAccumulator;

/**
 * Prints the quantize stage's progress to standard error every few seconds from a daemon thread:
 * units done of the total and params/s. The accumulators reach the driver when a task ends, so the
 * counts move one partition at a time.
 */
public final class ProgressReporter implements AutoCloseable {

  private final LongAccumulator unitsDone;
  private final LongAccumulator elementsDone;
  private final long unitsTotal;
  private final PrintWriter err;
  private final long startNanos = System.nanoTime();
  private final Thread thread;

  public ProgressReporter(
      LongAccumulator unitsDone, LongAccumulator elementsDone, long unitsTotal, long intervalMillis, PrintWriter err) {
    this.unitsDone = unitsDone;
    this.elementsDone = elementsDone;
    this.unitsTotal = unitsTotal;
    this.err = err;
    this.thread = new Thread(() -> loop(intervalMillis), "qspark-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop(long intervalMillis) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(intervalMillis);
        report();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Prints one progress line. */
  public void report() {
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    err.printf(
        Locale.ROOT, "qspark: quantize %d/%d units, %.2f M params/s%n",
        unitsDone.value(), unitsTotal, elementsDone.value() / seconds / 1e6);
    err.flush();
  }

  /** Stops the thread and prints the final line. */
  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    report();
  }
}
