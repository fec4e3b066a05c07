package dev.qspark.job.exec;

import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.TensorPlan;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every task needs besides its work units, broadcast once per job.
 *
 * @param configs the job's configs, in the order of {@link TensorPlan#statuses()}
 * @param tensors every tensor of the plan, indexed by {@link TensorPlan#index()}
 * @param hadoopConf the driver's Hadoop configuration entries
 */
public record JobSpec(List<JobConfig> configs, List<TensorPlan> tensors, Map<String, String> hadoopConf)
    implements Serializable {

  public JobSpec {
    configs = List.copyOf(configs);
    tensors = List.copyOf(tensors);
    hadoopConf = new HashMap<>(hadoopConf);
  }
}
