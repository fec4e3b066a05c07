package dev.qspark.job.plan;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.SelectionDecision;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.checkpoint.TensorName;
import dev.qspark.checkpoint.TensorSelection;
import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.FloatDtype;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a job from the checkpoint's headers: decides each tensor's status under each config, cuts the
 * tensors that are read into work units of whole rows, and groups the units into Spark partitions of
 * whole layers, balanced by bytes. Driver only; reads no weight bytes.
 */
public final class Planner {

  /** The largest Java array, which bounds the values of one work unit. */
  static final long MAX_UNIT_VALUES = Integer.MAX_VALUE - 8;

  private final TensorSelection selection;
  private final List<JobConfig> configs;
  private final long unitBytes;
  private final ModuleConfigPlan modulePlan;

  /**
   * @param selection which tensors are quantization targets
   * @param configs the requested configs
   * @param unitBytes bound on input bytes per work unit; a unit has at least one row
   */
  public Planner(TensorSelection selection, List<JobConfig> configs, long unitBytes) {
    this(selection, configs, unitBytes, null);
  }

  /**
   * @param modulePlan the config each module gets, from a mixed-precision plan; null applies every
   *     config to every target tensor
   */
  public Planner(TensorSelection selection, List<JobConfig> configs, long unitBytes, ModuleConfigPlan modulePlan) {
    checkUnitBytes(unitBytes);
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("Cannot plan a job without configs: give at least one config");
    }
    this.selection = selection;
    this.configs = List.copyOf(configs);
    this.unitBytes = unitBytes;
    this.modulePlan = modulePlan;
  }

  /**
   * Plans the job.
   *
   * @param requestedPartitions the partition count to use, or null to derive it from {@code parallelism}
   * @param parallelism Spark's default parallelism
   */
  public JobPlan plan(Checkpoint checkpoint, Integer requestedPartitions, int parallelism) {
    List<TensorPlan> tensors = new ArrayList<>();
    for (TensorEntry entry : checkpoint.tensors()) {
      tensors.add(planTensor(tensors.size(), entry));
    }

    Map<String, List<WorkUnit>> layers = new LinkedHashMap<>();
    for (TensorPlan tensor : tensors) {
      if (tensor.isRead()) {
        String key = tensor.layer() != null ? "layer " + tensor.layer() : "tensor " + tensor.name();
        layers.computeIfAbsent(key, k -> new ArrayList<>()).addAll(cutUnits(tensor));
      }
    }
    int partitionCount = partitionCount(requestedPartitions, parallelism, layers.size());
    return new JobPlan(configs, tensors, balance(new ArrayList<>(layers.values()), partitionCount), unitBytes);
  }

  private TensorPlan planTensor(int index, TensorEntry entry) {
    TensorName name = TensorName.parse(entry.name());
    SelectionDecision decision = selection.decide(entry);
    FloatDtype dtype = floatDtype(entry);
    List<PlannedStatus> statuses = new ArrayList<>();
    for (JobConfig config : configs) {
      String planReason = modulePlan == null || !decision.isQuantize()
          ? null
          : modulePlan.keepReason(entry.name(), config.config());
      if (planReason != null) {
        statuses.add(new PlannedStatus(TensorStatus.KEPT, planReason));
      } else {
        statuses.add(decision.isQuantize() ? applicability(config, entry, dtype) : keep(decision));
      }
    }
    return new TensorPlan(index, entry, name.layer(), name.module(), name.moduleType(), dtype, statuses);
  }

  private static PlannedStatus keep(SelectionDecision decision) {
    return new PlannedStatus(TensorStatus.KEPT, decision.reason());
  }

  private static PlannedStatus applicability(JobConfig config, TensorEntry entry, FloatDtype dtype) {
    long[] shape = entry.shape();
    if (shape[1] > MAX_UNIT_VALUES) {
      throw new UnsupportedOperationException(
          "Cannot plan tensor " + entry.name() + ": a row of " + shape[1]
              + " values does not fit one Java array, and work units hold whole rows");
    }
    Applicability applicability = config.quantizer().applicability(shape[0], shape[1], dtype);
    switch (applicability.status()) {
      case QUANTIZE:
        return new PlannedStatus(TensorStatus.QUANTIZED, "");
      case SKIP:
        return new PlannedStatus(TensorStatus.SKIPPED, applicability.reason());
      default:
        return new PlannedStatus(TensorStatus.REJECTED, applicability.reason());
    }
  }

  /** Maps the checkpoint dtype to the kernels' dtype; null for tensors that are not F32, BF16 or F16. */
  static FloatDtype floatDtype(TensorEntry entry) {
    switch (entry.dtype()) {
      case F32:
        return FloatDtype.FLOAT32;
      case BF16:
        return FloatDtype.BFLOAT16;
      case F16:
        return FloatDtype.FLOAT16;
      default:
        return null;
    }
  }

  /** Cuts a tensor into blocks of whole rows, each within {@code unitBytes} unless one row is larger. */
  List<WorkUnit> cutUnits(TensorPlan tensor) {
    long rowBytes = tensor.entry().byteLength() / tensor.outFeatures();
    long rowsByBytes = Math.max(1, unitBytes / rowBytes);
    long rowsByArray = Math.max(1, MAX_UNIT_VALUES / tensor.inFeatures());
    int rowsPerUnit = (int) Math.min(Math.min(rowsByBytes, rowsByArray), tensor.outFeatures());
    List<WorkUnit> units = new ArrayList<>();
    for (long rowStart = 0; rowStart < tensor.outFeatures(); rowStart += rowsPerUnit) {
      int rowCount = (int) Math.min(rowsPerUnit, tensor.outFeatures() - rowStart);
      units.add(new WorkUnit(tensor.index(), rowStart, rowCount, rowCount * rowBytes));
    }
    return units;
  }

  /**
   * Checks the bound on bytes per work unit, so that the command line can reject it before Spark starts.
   *
   * @throws IllegalArgumentException when it is below 1
   */
  public static void checkUnitBytes(long unitBytes) {
    if (unitBytes <= 0) {
      throw new IllegalArgumentException(
          "Cannot use --unit-bytes " + unitBytes + ": the bytes per work unit must be positive");
    }
  }

  /**
   * Checks a requested partition count, null for the default, so that the command line can reject it
   * before Spark starts.
   *
   * @throws IllegalArgumentException when it is below 1
   */
  public static void checkPartitions(Integer partitions) {
    if (partitions != null && partitions <= 0) {
      throw new IllegalArgumentException(
          "Cannot use --partitions " + partitions + ": the partition count must be positive");
    }
  }

  /**
   * Returns the requested count, or two partitions per unit of parallelism so that a slow task leaves
   * no core idle for long; never more than there are layers, since a layer is not split.
   */
  static int partitionCount(Integer requested, int parallelism, int layerCount) {
    checkPartitions(requested);
    int wanted = requested != null ? requested : 2 * Math.max(1, parallelism);
    return Math.max(1, Math.min(wanted, layerCount));
  }

  /**
   * Assigns whole layers to partitions, largest first to the partition with the fewest bytes so far
   * (longest-processing-time first), then orders each partition's units by tensor and row.
   */
  static List<List<WorkUnit>> balance(List<List<WorkUnit>> layers, int partitionCount) {
    List<List<WorkUnit>> partitions = new ArrayList<>();
    long[] partitionBytes = new long[partitionCount];
    for (int i = 0; i < partitionCount; i++) {
      partitions.add(new ArrayList<>());
    }
    List<List<WorkUnit>> bySize = new ArrayList<>(layers);
    bySize.sort(Comparator.comparingLong(Planner::bytes).reversed());
    for (List<WorkUnit> layer : bySize) {
      int lightest = 0;
      for (int i = 1; i < partitionCount; i++) {
        if (partitionBytes[i] < partitionBytes[lightest]) {
          lightest = i;
        }
      }
      partitions.get(lightest).addAll(layer);
      partitionBytes[lightest] += bytes(layer);
    }
    Comparator<WorkUnit> order =
        Comparator.comparingInt(WorkUnit::tensorIndex).thenComparingLong(WorkUnit::rowStart);
    partitions.forEach(partition -> partition.sort(order));
    partitions.removeIf(List::isEmpty);
    return partitions;
  }

  private static long bytes(List<WorkUnit> layer) {
    return layer.stream().mapToLong(WorkUnit::inputBytes).sum();
  }
}
