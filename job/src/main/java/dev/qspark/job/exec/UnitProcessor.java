package dev.qspark.job.exec;

import dev.qspark.job.output.QuantizedSchema;
import dev.qspark.job.output.TorchDtypeBits;
import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.TensorPlan;
import dev.qspark.job.plan.TensorStatus;
import dev.qspark.job.plan.WorkUnit;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.WeightQuantizer.StorageInfo;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The quantize stage's task body: for each work unit of a partition, reads and decodes the block once,
 * then quantizes it with every config that quantizes the tensor, computes the error sums from
 * {@code dequantize} and emits one {@code quantized/} row per config. Rows are produced one unit at a
 * time, so a task holds one block and its outputs.
 */
public final class UnitProcessor implements FlatMapFunction<List<WorkUnit>, Row> {

  private final Broadcast<JobSpec> spec;
  private final Broadcast<Map<Integer, TensorRange>> ranges;
  private final BlockSumsAccumulator sums;
  private final LongAccumulator unitsDone;
  private final LongAccumulator elementsDone;

  /**
   * @param ranges the whole-tensor ranges of tensors that a per-tensor config quantizes, by tensor index
   * @param sums receives the error sums of every block and config
   * @param unitsDone counts finished work units, for progress
   * @param elementsDone counts the elements of finished work units, for progress
   */
  public UnitProcessor(
      Broadcast<JobSpec> spec,
      Broadcast<Map<Integer, TensorRange>> ranges,
      BlockSumsAccumulator sums,
      LongAccumulator unitsDone,
      LongAccumulator elementsDone) {
    this.spec = spec;
    this.ranges = ranges;
    this.sums = sums;
    this.unitsDone = unitsDone;
    this.elementsDone = elementsDone;
  }

  @Override
  public Iterator<Row> call(List<WorkUnit> units) {
    JobSpec job = spec.value();
    BlockReaders readers = new BlockReaders(HadoopConfEntries.rebuild(job.hadoopConf()));
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> readers.close());
    }
    return new RowIterator(job, units.iterator(), readers);
  }

  /** Emits the rows of one unit after another, closing the readers after the last. */
  private final class RowIterator implements Iterator<Row> {
    private final JobSpec job;
    private final Iterator<WorkUnit> units;
    private final BlockReaders readers;
    private final ArrayDeque<Row> pending = new ArrayDeque<>();

    RowIterator(JobSpec job, Iterator<WorkUnit> units, BlockReaders readers) {
      this.job = job;
      this.units = units;
      this.readers = readers;
    }

    @Override
    public boolean hasNext() {
      while (pending.isEmpty() && units.hasNext()) {
        process(units.next());
      }
      if (pending.isEmpty()) {
        readers.close();
        return false;
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.poll();
    }

    private void process(WorkUnit unit) {
      TensorPlan tensor = job.tensors().get(unit.tensorIndex());
      float[] values = readers.readRows(tensor.entry(), unit.rowStart(), unit.rowCount());
      WeightBlock block =
          new WeightBlock(values, unit.rowStart(), unit.rowCount(), tensor.outFeatures(), tensor.inFeatures(),
              tensor.dtype());
      List<JobConfig> configs = job.configs();
      for (int c = 0; c < configs.size(); c++) {
        if (tensor.statuses().get(c).status() == TensorStatus.QUANTIZED) {
          quantize(configs.get(c), tensor, block);
        }
      }
      unitsDone.add(1);
      elementsDone.add(values.length);
    }

    private void quantize(JobConfig config, TensorPlan tensor, WeightBlock block) {
      WeightQuantizer quantizer = config.quantizer();
      BlockKey key = new BlockKey(config.configId(), tensor.name(), block.rowStart());
      TensorRange range = quantizer.needsTensorRange() ? requireRange(tensor) : null;
      QuantizedBlock quantized;
      try {
        quantized = quantizer.quantize(block, range);
      } catch (NonFiniteValuesException e) {
        sums.add(key, BlockSums.rejected(block.values().length, e.totalCount(), e.getMessage()));
        return;
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "Cannot quantize rows [" + block.rowStart() + ", " + (block.rowStart() + block.rowCount())
                + ") of tensor " + tensor.name() + " with " + config.configId() + ": " + e.getMessage(),
            e);
      }
      StorageInfo storage = quantizer.storageInfo(tensor.dtype(), tensor.inFeatures());
      float[] dequantized = quantizer.dequantize(quantized, tensor.dtype());
      long stored = storedBytes(quantized, storage, quantizer.needsTensorRange() && block.rowStart() > 0);
      sums.add(key, BlockSums.compare(block.values(), dequantized, stored));
      pending.add(QuantizedSchema.row(config, tensor, block.rowStart(), quantized, storage));
    }

    private TensorRange requireRange(TensorPlan tensor) {
      TensorRange range = ranges.value().get(tensor.index());
      if (range == null) {
        throw new IllegalStateException("Cannot quantize tensor " + tensor.name()
            + " per tensor: the range stage computed no range for it");
      }
      return range;
    }
  }

  /**
   * Returns the bytes of the block's qdata and qparams in their stored dtypes. A per-tensor qparam is
   * repeated in every block but stored once per tensor, so blocks after the first leave it out.
   */
  static long storedBytes(QuantizedBlock block, StorageInfo storage, boolean qparamsCountedElsewhere) {
    long bytes = block.qdata().length;
    if (qparamsCountedElsewhere) {
      return bytes;
    }
    bytes += TorchDtypeBits.qparamBytes(storage.scaleDtype(), block.scale().length);
    if (block.zeroPoint() != null && storage.zeroPointDtype() != null) {
      bytes += TorchDtypeBits.qparamBytes(storage.zeroPointDtype(), block.zeroPoint().length);
    }
    return bytes;
  }
}
