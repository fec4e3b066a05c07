package dev.qspark.job.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.scheduler.TaskLocality;
import org.apache.spark.Success$;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.Tuple2;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Feeds the listener Spark's own heartbeat and task-end events, as the driver's listener bus delivers
 * them, and checks the running counts it sums.
 */
class RunningTaskCountsTest {

  private static final long UNITS = 41;
  private static final long OTHER = 42;

  @Test
  void sumsLatestHeartbeatOfEachRunningTask() {
    RunningTaskCounts counts = new RunningTaskCounts(UNITS);

    counts.onExecutorMetricsUpdate(heartbeat(7, info(UNITS, 2), info(OTHER, 100)));
    counts.onExecutorMetricsUpdate(heartbeat(8, info(UNITS, 3)));
    counts.onExecutorMetricsUpdate(heartbeat(7, info(UNITS, 5)));

    assertThat(counts.sum()).isEqualTo(8);
  }

  @Test
  void endedTaskNoLongerCounts() {
    RunningTaskCounts counts = new RunningTaskCounts(UNITS);
    counts.onExecutorMetricsUpdate(heartbeat(7, info(UNITS, 2)));
    counts.onExecutorMetricsUpdate(heartbeat(8, info(UNITS, 3)));

    counts.onTaskEnd(taskEnd(7));

    assertThat(counts.sum()).isEqualTo(3);
  }

  private static AccumulableInfo info(long accumulatorId, long value) {
    return new AccumulableInfo(accumulatorId, Option.empty(), Option.apply(value), Option.empty(), false, false,
        Option.empty());
  }

  private static SparkListenerExecutorMetricsUpdate heartbeat(long taskId, AccumulableInfo... infos) {
    Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task =
        new Tuple4<>(taskId, 0, 0, CollectionConverters.asScala(List.of(infos)).toSeq());
    return new SparkListenerExecutorMetricsUpdate("driver",
        CollectionConverters.asScala(List.of(task)).toSeq(),
        scala.collection.immutable.Map$.MODULE$.<Tuple2<Object, Object>, ExecutorMetrics>empty());
  }

  private static SparkListenerTaskEnd taskEnd(long taskId) {
    TaskInfo info = new TaskInfo(taskId, 0, 0, 0, 0L, "driver", "127.0.0.1", TaskLocality.PROCESS_LOCAL(), false);
    return new SparkListenerTaskEnd(0, 0, "ResultTask", Success$.MODULE$, info, new ExecutorMetrics(),
        new TaskMetrics());
  }
}
