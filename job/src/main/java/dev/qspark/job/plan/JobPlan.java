package dev.qspark.job.plan;

import java.util.List;

/**
 * What the job does, decided on the driver from the checkpoint's headers: the configs, every tensor's
 * status under each config, and the work units grouped into Spark partitions. A partition holds whole
 * layers, so the units of one layer are processed by one task.
 *
 * @param configs the requested configs, in request order
 * @param tensors every tensor of the checkpoint, in natural name order
 * @param partitions the work units of each Spark partition, ordered by tensor and row
 * @param unitBytes the bound on input bytes per work unit (a unit of one row can exceed it)
 */
public record JobPlan(
    List<JobConfig> configs, List<TensorPlan> tensors, List<List<WorkUnit>> partitions, long unitBytes) {

  public JobPlan {
    configs = List.copyOf(configs);
    tensors = List.copyOf(tensors);
    partitions = partitions.stream().map(List::copyOf).toList();
  }

  public int unitCount() {
    return partitions.stream().mapToInt(List::size).sum();
  }

  /** Tensors that at least one config quantizes, which the job reads. */
  public List<TensorPlan> readTensors() {
    return tensors.stream().filter(TensorPlan::isRead).toList();
  }

  /** Input bytes of all work units. */
  public long inputBytes() {
    return partitions.stream().flatMap(List::stream).mapToLong(WorkUnit::inputBytes).sum();
  }

  /** Elements of all work units. */
  public long inputElements() {
    long elements = 0;
    for (List<WorkUnit> partition : partitions) {
      for (WorkUnit unit : partition) {
        elements += (long) unit.rowCount() * tensors.get(unit.tensorIndex()).inFeatures();
      }
    }
    return elements;
  }
}
