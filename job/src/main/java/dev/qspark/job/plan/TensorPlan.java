package dev.qspark.job.plan;

import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.kernels.FloatDtype;
import java.io.Serializable;
import java.util.List;

/**
 * One tensor of the checkpoint and what the job does with it under each config. Shipped to executors.
 *
 * @param index position in {@link JobPlan#tensors()}, used as a compact key in work units
 * @param entry where the tensor's bytes are
 * @param layer the numbered layer, or null outside numbered layers
 * @param module the module inside the layer, or the module path outside layers
 * @param moduleType the module's type for reports, such as {@code q_proj}
 * @param dtype the weight's float dtype, or null when the tensor is not F32, BF16 or F16
 * @param statuses one status per config, in the job's config order
 */
public record TensorPlan(
    int index,
    TensorEntry entry,
    Integer layer,
    String module,
    String moduleType,
    FloatDtype dtype,
    List<PlannedStatus> statuses)
    implements Serializable {

  public TensorPlan {
    statuses = List.copyOf(statuses);
  }

  public String name() {
    return entry.name();
  }

  /** Whether any config quantizes this tensor, so the job reads its values. */
  public boolean isRead() {
    return statuses.stream().anyMatch(status -> status.status() == TensorStatus.QUANTIZED);
  }

  /** Rows of the 2-D weight. */
  public long outFeatures() {
    return entry.rowCount();
  }

  /** Elements per row of the 2-D weight. */
  public int inFeatures() {
    return Math.toIntExact(entry.rowLength());
  }
}
