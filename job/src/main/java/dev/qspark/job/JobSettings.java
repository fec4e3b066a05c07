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

  /** Default bound on input bytes per work unit: 32 MiB. */
  public static final long UNIT_BYTES_DEFAULT = 32L << 20;

  public JobSettings {
    configTexts = List.copyOf(configTexts);
    sparkConf = Map.copyOf(sparkConf);
  }
}
