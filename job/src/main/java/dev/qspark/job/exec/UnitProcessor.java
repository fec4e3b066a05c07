package dev.qspark.job.exec;

import dev.qspark.job.output.QuantizedSchema;
import dev.qspark.job.output.TorchDtypeBits;
import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.TensorPlan;
import dev.qspark.job.plan.TensorStatus;
import dev.qspark.job.plan.WorkUnit;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.WeightQuantizer.StorageInfo;
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
 * then quantizes it with every config that quantizes the tensor, in chunks of rows that stay in cache
 * ({@link ChunkedQuantization}), computes the error sums from {@code dequantize} and emits one
 * {@code quantized/} row per config. A unit that only one config quantizes is read chunk by chunk
 * as that config needs it, which saves writing and reading back a decoded copy of the unit.
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
    TaskHold.awaitReleaseIfSet();
    JobSpec job = spec.value();
    BlockReaders readers = new BlockReaders(HadoopConfEntries.rebuild(job.hadoopConf()));
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> readers.close());
    }
    return new RowIterator(job, units.iterator(), readers);
  }

  /**
   * Emits the rows of one unit after another, closing the readers after the last. A unit's block is
   * read once, and each config quantizes it only when the previous config's row has been consumed,
   * so a task holds one block and one config's output at a time, whatever the number of configs.
   */
  private final class RowIterator implements Iterator<Row> {
    private final JobSpec job;
    private final Iterator<WorkUnit> units;
    private final BlockReaders readers;
    private final ChunkedQuantization chunks =
        new ChunkedQuantization(ChunkedQuantization.CHUNK_VALUES_DEFAULT, KernelPath.selected());
    private TensorPlan tensor;
    private UnitRows unit;
    private int nextConfig;
    private Row pending;

    RowIterator(JobSpec job, Iterator<WorkUnit> units, BlockReaders readers) {
      this.job = job;
      this.units = units;
      this.readers = readers;
    }

    @Override
    public boolean hasNext() {
      while (pending == null) {
        if (unit != null) {
          quantizeNextConfig();
        } else if (units.hasNext()) {
          read(units.next());
        } else {
          readers.close();
          return false;
        }
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = pending;
      pending = null;
      return row;
    }

    /**
     * Starts a unit. With several configs its block is read and decoded once, up front, into the chunks
     * that each config quantizes. With one, each chunk is read and decoded when the config quantizes
     * it, so no decoded copy of the unit is made.
     */
    private void read(WorkUnit workUnit) {
      tensor = job.tensors().get(workUnit.tensorIndex());
      long quantizing = tensor.statuses().stream().filter(status -> status.status() == TensorStatus.QUANTIZED).count();
      StreamedRows streamed = new StreamedRows(tensor, workUnit, readers);
      unit = quantizing > 1 ? chunks.decodeOnce(streamed) : streamed;
      nextConfig = 0;
    }

    /** Quantizes the current block with the next config that quantizes its tensor, then releases the finished block. */
    private void quantizeNextConfig() {
      List<JobConfig> configs = job.configs();
      while (nextConfig < configs.size() && tensor.statuses().get(nextConfig).status() != TensorStatus.QUANTIZED) {
        nextConfig++;
      }
      if (nextConfig < configs.size()) {
        pending = quantize(configs.get(nextConfig), tensor, unit);
        nextConfig++;
      }
      if (nextConfig >= configs.size()) {
        unitsDone.add(1);
        elementsDone.add((long) unit.rowCount() * unit.inFeatures());
        unit = null;
        tensor = null;
      }
    }

    /** Returns the row of one config's output for the block, or null when the config rejects the block. */
    private Row quantize(JobConfig config, TensorPlan tensor, UnitRows block) {
      WeightQuantizer quantizer = config.quantizer();
      BlockKey key = new BlockKey(config.configId(), tensor.name(), block.rowStart());
      TensorRange range = quantizer.needsTensorRange() ? requireRange(tensor) : null;
      ChunkedQuantization.Result result;
      try {
        result = chunks.quantize(quantizer, block, range);
      } catch (NonFiniteValuesException e) {
        sums.add(key, BlockSums.rejected((long) block.rowCount() * block.inFeatures(), e.totalCount(), e.getMessage()));
        return null;
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "Cannot quantize rows [" + block.rowStart() + ", " + (block.rowStart() + block.rowCount())
                + ") of tensor " + tensor.name() + " with " + config.configId() + ": " + e.getMessage(),
            e);
      }
      QuantizedBlock quantized = result.block();
      StorageInfo storage = quantizer.storageInfo(tensor.dtype(), tensor.inFeatures());
      long stored = storedBytes(quantized, storage, quantizer.needsTensorRange() && block.rowStart() > 0);
      sums.add(key, result.sums().build(stored));
      return QuantizedSchema.row(config, tensor, block.rowStart(), quantized, storage);
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

  /** A unit's rows read from the checkpoint on request, through the task's readers. */
  private static final class StreamedRows extends UnitRows {
    private final TensorPlan tensor;
    private final BlockReaders readers;

    StreamedRows(TensorPlan tensor, WorkUnit unit, BlockReaders readers) {
      super(unit.rowStart(), unit.rowCount(), tensor.outFeatures(), tensor.inFeatures(), tensor.dtype());
      this.tensor = tensor;
      this.readers = readers;
    }

    @Override
    void decode(int firstRow, int rows, float[] values) {
      readers.readRows(tensor.entry(), rowStart() + firstRow, rows, values);
    }

    @Override
    WeightBlock whole() {
      float[] values = readers.readRows(tensor.entry(), rowStart(), rowCount());
      return new WeightBlock(values, rowStart(), rowCount(), outFeatures(), inFeatures(), dtype());
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
