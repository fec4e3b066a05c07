package dev.qspark.job;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.util.List;
import java.util.Map;

/**
 * The settings of one quantization job, as the {@code quantize} and {@code sweep} commands parse them.
 *
 * @param model the checkpoint: a path or Hadoop URI (known model names are resolved before)
 * @param out the output folder
 * @param configTexts the configs in torchao syntax, in request order
 * @param release the torchao release whose rules and numerics the configs follow
 * @param device the device arithmetic for every config, or null for each format's default
 * @param include regex of tensors to quantize instead of the linear weights, or null
 * @param exclude regex of tensors to keep, or null
 * @param strict whether a rejected tensor fails the job
 * @param overwrite whether an existing output folder is replaced
 * @param master the Spark master, or null for an existing session's or {@code local[*]}
 * @param sparkConf extra Spark settings
 * @param unitBytes bound on input bytes per work unit
 * @param partitions the Spark partition count, or null to derive it from the default parallelism
 */
public record JobSettings(
    String model,
    String out,
    List<String> configTexts,
    TorchaoRelease release,
    DeviceArithmetic device,
    String include,
    String exclude,
    boolean strict,
    boolean overwrite,
    String master,
    Map<String, String> sparkConf,
    long unitBytes,
    Integer partitions) {

  /** Largest default bound on input bytes per work unit: 32 MiB, the default for up to 3 configs. */
  public static final long UNIT_BYTES_DEFAULT = 32L << 20;

  /** Smallest default bound on input bytes per work unit: 1 MiB. */
  public static final long UNIT_BYTES_DEFAULT_MIN = 1L << 20;

  /** Input bytes per work unit times configs that the default bound keeps to: 96 MiB. */
  static final long UNIT_BYTES_TIMES_CONFIGS = 96L << 20;

  /**
   * Returns the default bound on input bytes per work unit for {@code configs} configs: 96 MiB divided
   * by the configs, between {@link #UNIT_BYTES_DEFAULT_MIN} and {@link #UNIT_BYTES_DEFAULT}.
   *
   * <p>A task's memory grows with the unit times the configs. Each config's row of a unit passes
   * through several copies in Spark's row conversion, whose buffers grow to twice the bytes they need.
   * Every open Parquet writer (one per config) keeps its compressor's output buffer, which never
   * shrinks, at the size of the largest page it compressed: for {@code qdata}, one row. With 32 MiB
   * units the 12-config {@code versions} sweep of 7 B Llama shapes ran out of a 1 GiB heap in {@code
   * local[2]}, and with 8 MiB units it finished (docs/BENCHMARKS.md).
   */
  public static long defaultUnitBytes(int configs) {
    long bytes = UNIT_BYTES_TIMES_CONFIGS / Math.max(1, configs);
    return Math.max(UNIT_BYTES_DEFAULT_MIN, Math.min(UNIT_BYTES_DEFAULT, bytes));
  }

  public JobSettings {
    configTexts = List.copyOf(configTexts);
    sparkConf = Map.copyOf(sparkConf);
  }
}
