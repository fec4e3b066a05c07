package dev.qspark.job.output;

import dev.qspark.job.exec.BlockKey;
import dev.qspark.job.exec.BlockSums;
import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.JobPlan;
import dev.qspark.job.plan.PlannedStatus;
import dev.qspark.job.plan.TensorPlan;
import dev.qspark.job.plan.TensorStatus;
import dev.qspark.job.plan.WorkUnit;
import dev.qspark.kernels.WeightQuantizer.StorageInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns the per-block sums of a job into one {@link TensorMetrics} per config and tensor. Driver only. */
public final class MetricsAggregator {

  private MetricsAggregator() {}

  /**
   * Aggregates the block sums in row order, per config and tensor, in config order then tensor order.
   *
   * @throws IllegalStateException when a block of a quantized tensor has no sums, which means a task's
   *     result was lost
   */
  public static List<TensorMetrics> aggregate(JobPlan plan, Map<BlockKey, BlockSums> sums) {
    Map<Integer, List<WorkUnit>> unitsByTensor = new HashMap<>();
    for (List<WorkUnit> partition : plan.partitions()) {
      for (WorkUnit unit : partition) {
        unitsByTensor.computeIfAbsent(unit.tensorIndex(), k -> new ArrayList<>()).add(unit);
      }
    }
    unitsByTensor.values().forEach(units -> units.sort((a, b) -> Long.compare(a.rowStart(), b.rowStart())));

    List<TensorMetrics> metrics = new ArrayList<>();
    for (int c = 0; c < plan.configs().size(); c++) {
      JobConfig config = plan.configs().get(c);
      for (TensorPlan tensor : plan.tensors()) {
        PlannedStatus planned = tensor.statuses().get(c);
        if (planned.status() == TensorStatus.QUANTIZED) {
          metrics.add(quantized(config, tensor, unitsByTensor.get(tensor.index()), sums));
        } else {
          metrics.add(unquantized(config, tensor, planned.status(), planned.reason(), null));
        }
      }
    }
    return metrics;
  }

  private static TensorMetrics quantized(
      JobConfig config, TensorPlan tensor, List<WorkUnit> units, Map<BlockKey, BlockSums> sums) {
    long elements = 0;
    double squaredError = 0;
    double signalPower = 0;
    double maxAbsError = 0;
    long nonFinite = 0;
    long storedBytes = 0;
    String rejection = null;
    long rejectedNonFinite = 0;
    for (WorkUnit unit : units) {
      BlockSums block = sums.get(new BlockKey(config.configId(), tensor.name(), unit.rowStart()));
      if (block == null) {
        throw new IllegalStateException("Cannot aggregate the metrics of tensor " + tensor.name() + " under "
            + config.configId() + ": no result for the block at row " + unit.rowStart());
      }
      if (block.isRejected()) {
        rejection = rejection == null ? block.rejection() : rejection;
        rejectedNonFinite += block.nonFiniteCount();
        continue;
      }
      elements += block.elements();
      squaredError += block.squaredError();
      signalPower += block.signalPower();
      maxAbsError = Math.max(maxAbsError, block.maxAbsError());
      nonFinite += block.nonFiniteCount();
      storedBytes += block.storedBytes();
    }
    if (rejection != null) {
      return unquantized(config, tensor, TensorStatus.REJECTED, rejection, rejectedNonFinite);
    }
    double mse = squaredError / elements;
    double sqnr = 10 * Math.log10(signalPower / squaredError);
    double relative = Math.sqrt(squaredError / signalPower);
    return new TensorMetrics(
        config.configId(), config.canonical(), tensor.name(), tensor.layer(), tensor.module(), tensor.moduleType(),
        TensorStatus.QUANTIZED.label(), "", elements, tensor.entry().byteLength(), storedBytes,
        8.0 * storedBytes / elements, nominalBitsPerWeight(config, tensor), mse, sqnr, maxAbsError, relative,
        nonFinite);
  }

  private static TensorMetrics unquantized(
      JobConfig config, TensorPlan tensor, TensorStatus status, String reason, Long nonFinite) {
    return new TensorMetrics(
        config.configId(), config.canonical(), tensor.name(), tensor.layer(), tensor.module(), tensor.moduleType(),
        status.label(), reason, tensor.entry().elementCount(), tensor.entry().byteLength(), null, null, null,
        null, null, null, null, nonFinite);
  }

  /** Returns the qdata dtype's bits plus the bits of one scale and zero point spread over the elements of a block_size. */
  static double nominalBitsPerWeight(JobConfig config, TensorPlan tensor) {
    StorageInfo storage = config.quantizer().storageInfo(tensor.dtype(), tensor.inFeatures());
    double qparamBits = TorchDtypeBits.bits(storage.scaleDtype());
    if (storage.zeroPointDtype() != null) {
      qparamBits += TorchDtypeBits.bits(storage.zeroPointDtype());
    }
    double elementsPerQparam = 1;
    for (int dim : storage.blockSize()) {
      elementsPerQparam *= dim;
    }
    return TorchDtypeBits.bits(storage.qdataDtype()) + qparamBits / elementsPerQparam;
  }
}
