package dev.qspark.job;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.job.output.Manifest;
import dev.qspark.job.output.QuantizedWriteSettings;
import dev.qspark.job.output.TensorMetrics;
import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.JobPlan;
import dev.qspark.job.plan.TensorStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the facts of a finished job into its {@link Manifest}. */
final class ManifestBuilder {

  private ManifestBuilder() {}

  static Manifest build(
      JobSettings settings,
      Checkpoint checkpoint,
      JobPlan plan,
      List<TensorMetrics> metrics,
      QuantizedWriteSettings write,
      String sparkVersion,
      Instant started,
      Instant finished) {
    List<Manifest.ConfigEntry> configs =
        plan.configs().stream().map(ManifestBuilder::configEntry).toList();
    List<Manifest.InputFile> files =
        checkpoint.files().stream().map(file -> new Manifest.InputFile(file.file(), file.fileLength())).toList();

    Map<String, Object> options = new LinkedHashMap<>();
    options.put("include", settings.include());
    options.put("exclude", settings.exclude());
    options.put("strict", settings.strict());
    options.put("unit_bytes", settings.unitBytes());
    options.put("partitions", plan.partitions().size());
    options.put("parquet_compression", "zstd");
    options.put("zstd_level", write.zstdLevel());
    options.put("row_group_bytes", write.rowGroupBytes());

    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("tensors", (long) plan.tensors().size());
    counts.put("tensors_read", (long) plan.readTensors().size());
    counts.put("work_units", (long) plan.unitCount());
    counts.put("input_bytes_read", plan.inputBytes());
    for (TensorStatus status : TensorStatus.values()) {
      counts.put(status.label(), metrics.stream().filter(m -> m.status().equals(status.label())).count());
    }

    return new Manifest(
        QsparkVersion.get(),
        sparkVersion,
        settings.release().label(),
        settings.device() == null ? "default" : settings.device().label(),
        checkpoint.location(),
        started.toString(),
        finished.toString(),
        configs,
        files,
        options,
        counts);
  }

  private static Manifest.ConfigEntry configEntry(JobConfig config) {
    return new Manifest.ConfigEntry(
        config.configId(),
        config.canonical(),
        config.config().className(),
        config.config().version(),
        config.config().deviceArithmetic().label());
  }
}
