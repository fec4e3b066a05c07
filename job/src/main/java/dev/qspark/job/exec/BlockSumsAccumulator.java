package dev.qspark.job.exec;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.util.AccumulatorV2;

/**
 * Collects {@link BlockSums} on the driver, keyed by config, tensor and first row. A task that Spark
 * runs again reports the same keys with the same sums, so retries and speculative copies collapse.
 */
public final class BlockSumsAccumulator extends AccumulatorV2<Map.Entry<BlockKey, BlockSums>, Map<BlockKey, BlockSums>> {

  private HashMap<BlockKey, BlockSums> sums = new HashMap<>();

  @Override
  public boolean isZero() {
    return sums.isEmpty();
  }

  @Override
  public BlockSumsAccumulator copy() {
    BlockSumsAccumulator copy = new BlockSumsAccumulator();
    synchronized (this) {
      copy.sums = new HashMap<>(sums);
    }
    return copy;
  }

  @Override
  public synchronized void reset() {
    sums = new HashMap<>();
  }

  @Override
  public synchronized void add(Map.Entry<BlockKey, BlockSums> entry) {
    sums.put(entry.getKey(), entry.getValue());
  }

  public void add(BlockKey key, BlockSums blockSums) {
    add(Map.entry(key, blockSums));
  }

  @Override
  public void merge(AccumulatorV2<Map.Entry<BlockKey, BlockSums>, Map<BlockKey, BlockSums>> other) {
    Map<BlockKey, BlockSums> otherSums = other.value();
    synchronized (this) {
      sums.putAll(otherSums);
    }
  }

  @Override
  public synchronized Map<BlockKey, BlockSums> value() {
    return new HashMap<>(sums);
  }
}
