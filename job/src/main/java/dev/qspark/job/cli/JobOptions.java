package dev.qspark.job.cli;

import dev.qspark.job.JobSettings;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that {@code quantize} and {@code sweep} share, as a picocli mixin. Driver only. Picocli
 * requires --model and --out, except after {@code sweep --list-presets}, which turns off its checks.
 */
final class JobOptions {

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      completionCandidates = KnownModelNames.class,
      description =
          "A .safetensors file, a folder with model.safetensors or with model.safetensors.index.json,"
              + " as a local path or Hadoop URI, or a known model name (${COMPLETION-CANDIDATES}), fetched on"
              + " first use.")
  String model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder to create.")
  String out;

  @Option(
      names = "--torchao",
      paramLabel = "RELEASE",
      description = "torchao release whose defaults, rules and numerics to follow: 0.15, 0.16, 0.17 or 0.18"
          + " (default: 0.15).")
  String torchao = TorchaoRelease.DEFAULT.label();

  @Option(
      names = "--device-arithmetic",
      paramLabel = "DEVICE",
      description = "Device whose float32 division to reproduce: cpu, cuda or xpu (default: the device"
          + " torchao runs each format on).")
  String deviceArithmetic;

  @Option(
      names = "--include",
      paramLabel = "REGEX",
      description = "Quantize the 2-D F32/BF16/F16 tensors whose name contains a match of REGEX, instead of"
          + " the linear weights.")
  String include;

  @Option(
      names = "--exclude",
      paramLabel = "REGEX",
      description = "Leave the tensors whose name contains a match of REGEX unquantized (status kept); wins"
          + " over --include.")
  String exclude;

  @Option(names = "--strict", description = "Fail the job when a config rejects a tensor, instead of recording it.")
  boolean strict;

  @Option(names = "--overwrite", description = "Replace DIR when it exists.")
  boolean overwrite;

  @Mixin SparkOptions spark;

  @Option(
      names = "--unit-bytes",
      paramLabel = "BYTES",
      converter = ByteSizeConverter.class,
      description = "Input bytes per work unit: whole rows of one tensor up to this size, as a byte count or"
          + " with a KiB, MiB or GiB suffix (k, m or g for short), e.g. 8MiB (default: 96 MiB divided by the"
          + " number of configs, from 1 MiB to 32 MiB; 32 MiB for up to 3 configs).")
  Long unitBytes;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "Spark partitions, each a group of whole layers (default: twice Spark's default"
          + " parallelism, at most one per layer).")
  Integer partitions;

  TorchaoRelease release() {
    return TorchaoRelease.parse(torchao);
  }

  DeviceArithmetic device() {
    return deviceArithmetic == null ? null : DeviceArithmetic.parse(deviceArithmetic);
  }

  JobSettings settings(String resolvedModel, List<String> configTexts) {
    return new JobSettings(
        resolvedModel, out, configTexts, release(), device(), include, exclude, strict, overwrite, spark.master, spark.conf,
        unitBytes != null ? unitBytes : JobSettings.defaultUnitBytes(configTexts.size()), partitions);
  }
}
