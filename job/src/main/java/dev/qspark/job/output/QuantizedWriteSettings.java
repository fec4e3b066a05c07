package dev.qspark.job.output;

import com.github.luben.zstd.Zstd;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The Parquet options of the job's {@code quantized/} and {@code metrics/} writes, and the session
 * settings of the {@code quantized/} write. Driver only.
 *
 * <p>The {@code quantized/} write is partitioned by {@code config_id}. Spark's planned writes would
 * sort each task's rows by that column first, copying every multi-MiB row through an external
 * sorter. Instead each task keeps one open Parquet writer per config (Spark's concurrent output
 * writers), and the writers' memory is bounded through the row group size: a Parquet writer buffers
 * its whole row group until it flushes it, so an executor buffers at most about
 * {@code tasks x configs x (row group + one row)} bytes.
 */
public final class QuantizedWriteSettings {

  /** Largest row group, so that large binary values never make a row group above 2 GB. */
  public static final long MAX_ROW_GROUP_BYTES = 128L << 20;

  /** Smallest row group the memory bound may choose; a row larger than it still gets its own row group. */
  public static final long MIN_ROW_GROUP_BYTES = 1L << 20;

  /** Bytes that the open Parquet writers of one executor may buffer together, before the row past the bound. */
  public static final long WRITER_BUFFER_BYTES_DEFAULT = 256L << 20;

  /** parquet-java's setting of the zstd level; its default is 3. */
  public static final String ZSTD_LEVEL = "parquet.compression.codec.zstd.level";

  /**
   * The zstd level unless {@value #ZSTD_LEVEL} is set. Level 1 compressed Intx int8 asymmetric qdata
   * 7 times faster than level 3 and smaller; other qdata measured came out the same size at both.
   */
  public static final int ZSTD_LEVEL_DEFAULT = 1;

  static final String PLANNED_WRITE = "spark.sql.optimizer.plannedWrite.enabled";
  static final String MAX_CONCURRENT_WRITERS = "spark.sql.maxConcurrentOutputFileWriters";

  private final long rowGroupBytes;
  private final int maxConcurrentWriters;
  private final int zstdLevel;

  private QuantizedWriteSettings(long rowGroupBytes, int maxConcurrentWriters, int zstdLevel) {
    this.rowGroupBytes = rowGroupBytes;
    this.maxConcurrentWriters = maxConcurrentWriters;
    this.zstdLevel = zstdLevel;
  }

  /**
   * Sizes the row groups so that the writers of {@code tasksPerExecutor} concurrent tasks with one
   * writer per config stay within {@code writerBufferBytes}, between {@link #MIN_ROW_GROUP_BYTES} and
   * {@link #MAX_ROW_GROUP_BYTES}.
   */
  public static QuantizedWriteSettings forConfigs(int configs, int tasksPerExecutor, long writerBufferBytes) {
    if (configs < 1 || tasksPerExecutor < 1 || writerBufferBytes < 1) {
      throw new IllegalArgumentException("Cannot size Parquet row groups for " + configs + " configs, "
          + tasksPerExecutor + " tasks per executor and a buffer of " + writerBufferBytes
          + " bytes: each must be at least 1");
    }
    long perWriter = writerBufferBytes / ((long) configs * tasksPerExecutor);
    long rowGroup = Math.max(MIN_ROW_GROUP_BYTES, Math.min(MAX_ROW_GROUP_BYTES, perWriter));
    // Spark falls back to sorting the rest of a task's rows as soon as its open writers reach
    // spark.sql.maxConcurrentOutputFileWriters, so the limit must exceed the number of configs.
    return new QuantizedWriteSettings(rowGroup, configs + 1, ZSTD_LEVEL_DEFAULT);
  }

  /** Returns these settings with the zstd level a Hadoop configuration sets, or the default level. */
  public QuantizedWriteSettings withZstdLevelOf(Configuration hadoopConf) {
    return new QuantizedWriteSettings(rowGroupBytes, maxConcurrentWriters, zstdLevel(hadoopConf));
  }

  /**
   * Returns the zstd level that {@code hadoopConf} sets, or the default level.
   *
   * @throws IllegalArgumentException when the level is not an integer or is outside the levels of the
   *     zstd library on the classpath, which would otherwise clamp it silently
   */
  public static int zstdLevel(Configuration hadoopConf) {
    String text = hadoopConf.getTrimmed(ZSTD_LEVEL);
    if (text == null) {
      return ZSTD_LEVEL_DEFAULT;
    }
    int level;
    try {
      level = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(invalidLevel(text), e);
    }
    if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
      throw new IllegalArgumentException(invalidLevel(text));
    }
    return level;
  }

  private static String invalidLevel(String text) {
    return "Invalid zstd level '" + text + "' in " + ZSTD_LEVEL + ": expected an integer from "
        + Zstd.minCompressionLevel() + " to " + Zstd.maxCompressionLevel() + " (default "
        + ZSTD_LEVEL_DEFAULT + "); set it with --conf spark.hadoop." + ZSTD_LEVEL + "=N";
  }

  /**
   * Returns how many tasks one executor runs at once: the threads of a local master, else
   * {@code spark.executor.cores / spark.task.cpus}. Without {@code spark.executor.cores} it returns
   * the default parallelism, the cores of all executors, which over-estimates and so errs towards
   * smaller row groups.
   */
  public static int tasksPerExecutor(SparkContext sc) {
    if (sc.isLocal()) {
      return Math.max(1, sc.defaultParallelism());
    }
    int cores = sc.conf().getInt("spark.executor.cores", sc.defaultParallelism());
    int taskCpus = sc.conf().getInt("spark.task.cpus", 1);
    return Math.max(1, cores / Math.max(1, taskCpus));
  }

  public long rowGroupBytes() {
    return rowGroupBytes;
  }

  public int zstdLevel() {
    return zstdLevel;
  }

  /**
   * Returns the Parquet options: zstd at the level of {@link #withZstdLevelOf}, row groups of {@link #rowGroupBytes()}, and neither
   * dictionary encoding nor min/max statistics on the packed {@code qdata} values and the float
   * arrays, which are near-unique values where a dictionary only costs hashing and copies.
   *
   * <p>parquet-java (1.17) checks the buffered size of a row group first after {@code
   * parquet.page.size.row.check.min} records (default 100), and that setting also spaces the later
   * checks, for row groups as for pages. Records here are whole blocks of up to tens of MiB, so 100
   * of them would be buffered before the first check: both bounds are 1, a check after every record.
   */
  public Map<String, String> parquetOptions() {
    Map<String, String> options = new HashMap<>();
    options.put("compression", "zstd");
    options.put(ZSTD_LEVEL, Integer.toString(zstdLevel));
    options.put("parquet.block.size", Long.toString(rowGroupBytes));
    options.put("parquet.page.size.row.check.min", "1");
    options.put("parquet.page.size.row.check.max", "1");
    for (String column : new String[] {"qdata", "scale.list.element", "zero_point.list.element"}) {
      options.put("parquet.enable.dictionary#" + column, "false");
    }
    options.put("parquet.column.statistics.enabled#qdata", "false");
    return options;
  }

  /**
   * Runs a write with planned writes off and room for one open writer per config in each task, then
   * restores the session's previous values.
   */
  public <T> T withConcurrentWriters(SparkSession spark, Supplier<T> write) {
    Map<String, String> previous = new HashMap<>();
    for (String key : new String[] {PLANNED_WRITE, MAX_CONCURRENT_WRITERS}) {
      previous.put(key, spark.conf().contains(key) ? spark.conf().get(key) : null);
    }
    spark.conf().set(PLANNED_WRITE, "false");
    spark.conf().set(MAX_CONCURRENT_WRITERS, Integer.toString(maxConcurrentWriters));
    try {
      return write.get();
    } finally {
      previous.forEach((key, value) -> {
        if (value == null) {
          spark.conf().unset(key);
        } else {
          spark.conf().set(key, value);
        }
      });
    }
  }
}
