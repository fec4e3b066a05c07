package dev.qspark.job.exec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.util.LongAccumulator;

/**
 * Prints the quantize stage's progress to standard error every few seconds from a daemon thread, as
 * {@link ProgressLine} words it. The accumulators reach the driver when a task ends. The counts of
 * running tasks come from the executors' heartbeats ({@link RunningTaskCounts}), so the line moves
 * within a partition at the heartbeat interval.
 */
public final class ProgressReporter implements AutoCloseable {

  private final LongAccumulator unitsDone;
  private final LongAccumulator elementsDone;
  private final RunningTaskCounts unitsRunning;
  private final RunningTaskCounts elementsRunning;
  private final long unitsTotal;
  private final PrintWriter err;
  private final ProgressLine line;
  private final Thread thread;

  /**
   * Starts reporting. Register {@link #listeners()} with the SparkContext for progress within tasks.
   */
  public ProgressReporter(LongAccumulator unitsDone, LongAccumulator elementsDone, long unitsTotal,
      long elementsTotal, long intervalMillis, PrintWriter err) {
    this.unitsDone = unitsDone;
    this.elementsDone = elementsDone;
    this.unitsRunning = new RunningTaskCounts(unitsDone.id());
    this.elementsRunning = new RunningTaskCounts(elementsDone.id());
    this.unitsTotal = unitsTotal;
    this.err = err;
    this.line = new ProgressLine(unitsTotal, elementsTotal, System.nanoTime());
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

  /** Returns the listeners that count units and elements of running tasks. */
  public List<SparkListener> listeners() {
    return List.of(unitsRunning, elementsRunning);
  }

  /**
   * Prints one progress line. A task's count can be in its accumulator and, until the driver handles
   * the task's end, in its last heartbeat too, so the units shown are capped at the total.
   */
  public synchronized void report() {
    long units = Math.min(unitsTotal, unitsDone.value() + unitsRunning.sum());
    print(line.running(units, elementsDone.value() + elementsRunning.sum(), System.nanoTime()));
  }

  private synchronized void print(String text) {
    err.println(text);
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
    // Every task has ended, so the accumulators alone contain the final counts.
    print(line.finished(unitsDone.value(), elementsDone.value(), System.nanoTime()));
  }
}
