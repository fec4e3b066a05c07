package dev.qspark.job.exec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.collection.Iterator;

/**
 * The partial values of one long accumulator in tasks that are still running, from the executors'
 * heartbeats. An accumulator's value reaches the driver only when its task ends. Every heartbeat
 * carries each running task's accumulator values so far, so adding those to the accumulator's value
 * gives progress inside a task. Driver only; register with {@code SparkContext.addSparkListener}.
 */
public final class RunningTaskCounts extends SparkListener {

  private final long accumulatorId;
  private final Map<Long, Long> byTask = new ConcurrentHashMap<>();

  /** Counts the accumulator with this id, as {@link LongAccumulator#id()} returns it. */
  public RunningTaskCounts(long accumulatorId) {
    this.accumulatorId = accumulatorId;
  }

  /** Returns the sum of the latest heartbeat values of the tasks that have not ended. */
  public long sum() {
    long sum = 0;
    for (long value : byTask.values()) {
      sum += value;
    }
    return sum;
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    Iterator<Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>>> tasks =
        update.accumUpdates().iterator();
    while (tasks.hasNext()) {
      Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task = tasks.next();
      Iterator<AccumulableInfo> infos = task._4().iterator();
      while (infos.hasNext()) {
        AccumulableInfo info = infos.next();
        if (info.id() == accumulatorId && info.update().isDefined() && info.update().get() instanceof Long) {
          byTask.put((Long) task._1(), (Long) info.update().get());
        }
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    byTask.remove(taskEnd.taskInfo().taskId());
  }
}
