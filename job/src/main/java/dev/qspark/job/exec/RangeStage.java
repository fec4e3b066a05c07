package dev.qspark.job.exec;

import dev.qspark.job.plan.JobPlan;
import dev.qspark.job.plan.TensorPlan;
import dev.qspark.job.plan.TensorStatus;
import dev.qspark.job.plan.WorkUnit;
import dev.qspark.kernels.TensorRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The first Spark stage, run only when a config has per-tensor granularity: each task reads its blocks
 * of the tensors such a config quantizes and reports their min and max, and the driver merges the
 * per-tensor ranges. Min and max are exact in any order, so the result does not depend on the plan.
 */
public final class RangeStage {

  private RangeStage() {}

  /** Returns the indexes of tensors that at least one per-tensor config quantizes. */
  public static Set<Integer> tensorsNeedingRanges(JobPlan plan) {
    Set<Integer> needed = new HashSet<>();
    for (TensorPlan tensor : plan.tensors()) {
      for (int c = 0; c < plan.configs().size(); c++) {
        if (plan.configs().get(c).quantizer().needsTensorRange()
            && tensor.statuses().get(c).status() == TensorStatus.QUANTIZED) {
          needed.add(tensor.index());
        }
      }
    }
    return needed;
  }

  /** Computes the ranges of the tensors in {@code needed}, by tensor index; empty when none is needed. */
  public static Map<Integer, TensorRange> run(
      JavaSparkContext sc, JobPlan plan, Broadcast<JobSpec> spec, Set<Integer> needed) {
    if (needed.isEmpty()) {
      return Map.of();
    }
    List<List<WorkUnit>> partitions = new ArrayList<>();
    for (List<WorkUnit> partition : plan.partitions()) {
      List<WorkUnit> units = new ArrayList<>();
      for (WorkUnit unit : partition) {
        if (needed.contains(unit.tensorIndex())) {
          units.add(unit);
        }
      }
      if (!units.isEmpty()) {
        partitions.add(units);
      }
    }
    sc.setJobDescription("tensor ranges of " + needed.size() + " tensors: "
        + partitions.stream().mapToInt(List::size).sum() + " units in " + partitions.size() + " partitions");
    Map<Integer, TensorRange> ranges =
        sc.parallelize(partitions, partitions.size())
            .mapPartitionsToPair(payloads -> readRanges(spec.value(), payloads))
            .reduceByKey(TensorRange::merge)
            .collectAsMap();
    return new HashMap<>(ranges);
  }

  private static Iterator<Tuple2<Integer, TensorRange>> readRanges(JobSpec job, Iterator<List<WorkUnit>> payloads) {
    List<Tuple2<Integer, TensorRange>> ranges = new ArrayList<>();
    try (BlockReaders readers = new BlockReaders(HadoopConfEntries.rebuild(job.hadoopConf()))) {
      while (payloads.hasNext()) {
        for (WorkUnit unit : payloads.next()) {
          TensorPlan tensor = job.tensors().get(unit.tensorIndex());
          float[] values = readers.readRows(tensor.entry(), unit.rowStart(), unit.rowCount());
          ranges.add(new Tuple2<>(unit.tensorIndex(), TensorRange.of(values)));
        }
      }
    }
    return ranges.iterator();
  }
}
