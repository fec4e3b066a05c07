package dev.qspark.job;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorSelection;
import dev.qspark.job.exec.BlockKey;
import dev.qspark.job.exec.BlockSums;
import dev.qspark.job.exec.BlockSumsAccumulator;
import dev.qspark.job.exec.HadoopConfEntries;
import dev.qspark.job.exec.JobSpec;
import dev.qspark.job.exec.ProgressReporter;
import dev.qspark.job.exec.RangeStage;
import dev.qspark.job.exec.UnitProcessor;
import dev.qspark.job.output.BroadcastRows;
import dev.qspark.job.output.EmptyQuantizedFolder;
import dev.qspark.job.output.MetricsAggregator;
import dev.qspark.job.output.MetricsSchema;
import dev.qspark.job.output.OutputFolder;
import dev.qspark.job.output.QuantizedSchema;
import dev.qspark.job.output.QuantizedWrite;
import dev.qspark.job.output.QuantizedWriteSettings;
import dev.qspark.job.output.RejectedTensorRemoval;
import dev.qspark.job.output.SummaryTable;
import dev.qspark.job.output.TensorMetrics;
import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.JobPlan;
import dev.qspark.job.plan.ModuleConfigPlan;
import dev.qspark.job.plan.Planner;
import dev.qspark.job.plan.TensorPlan;
import dev.qspark.job.plan.TensorStatus;
import dev.qspark.job.plan.WorkUnit;
import dev.qspark.kernels.TensorRange;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies configs to a checkpoint with Spark and writes {@code quantized/}, {@code metrics/} and
 * {@code manifest.json}. {@link #run()} reads as the job's steps: open and plan from headers, check,
 * compute tensor ranges when a config needs them, quantize, aggregate metrics, commit, report.
 * Runs on the driver; the Spark stages run {@link RangeStage} and {@link UnitProcessor} on executors.
 */
public final class QuantizeJob {

  private static final Logger LOG = LoggerFactory.getLogger(QuantizeJob.class);

  static final long PROGRESS_INTERVAL_MILLIS = 3000;

  /** Rejected tensors named in the error of a --strict job. */
  static final int STRICT_REJECTIONS_SHOWN = 3;

  private final SparkSession spark;
  private final JobSettings settings;
  private final List<JobConfig> configs;
  private final PrintWriter out;
  private final PrintWriter err;
  private final ModuleConfigPlan modulePlan;

  /**
   * @param configs the settings' configs, parsed and paired with their kernels, in the same order
   * @param out receives the summary table
   * @param err receives progress lines
   */
  public QuantizeJob(
      SparkSession spark, JobSettings settings, List<JobConfig> configs, PrintWriter out, PrintWriter err) {
    this(spark, settings, configs, null, out, err);
  }

  /**
   * @param modulePlan the config each module gets, from a mixed-precision plan, or null to apply every
   *     config to every target tensor
   */
  public QuantizeJob(SparkSession spark, JobSettings settings, List<JobConfig> configs, ModuleConfigPlan modulePlan,
      PrintWriter out, PrintWriter err) {
    this.modulePlan = modulePlan;
    this.spark = spark;
    this.settings = settings;
    this.configs = List.copyOf(configs);
    this.out = out;
    this.err = err;
  }

  public JobResult run() throws IOException {
    Instant started = Instant.now();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoopConf = sc.hadoopConfiguration();

    Checkpoint checkpoint = Checkpoint.open(settings.model(), hadoopConf, CheckpointOptions.DEFAULT);
    TensorSelection selection = TensorSelection.fromOptions(settings.include(), settings.exclude());
    JobPlan plan =
        new Planner(selection, configs, settings.unitBytes(), modulePlan)
            .plan(checkpoint, settings.partitions(), sc.defaultParallelism());
    LOG.info("Planned {} work units of {} tensors ({} bytes) in {} partitions for {} config(s)",
        plan.unitCount(), plan.readTensors().size(), plan.inputBytes(), plan.partitions().size(), configs.size());
    if (settings.strict()) {
      failOnRejections(plan.tensors(), plan);
    }

    QuantizedWriteSettings write = QuantizedWriteSettings.forConfigs(plan.configs().size(),
        QuantizedWriteSettings.tasksPerExecutor(sc.sc()), QuantizedWriteSettings.WRITER_BUFFER_BYTES_DEFAULT)
        .withZstdLevelOf(hadoopConf);
    LOG.info("Writing Parquet row groups of up to {} bytes, with up to {} open writer(s) per task",
        write.rowGroupBytes(), plan.configs().size());
    OutputFolder output = OutputFolder.prepare(settings.out(), hadoopConf, settings.overwrite());
    List<TensorMetrics> metrics;
    try {
      Broadcast<JobSpec> spec =
          sc.broadcast(new JobSpec(plan.configs(), plan.tensors(), HadoopConfEntries.capture(hadoopConf)));
      Map<Integer, TensorRange> ranges = RangeStage.run(sc, plan, spec, RangeStage.tensorsNeedingRanges(plan));
      Map<BlockKey, BlockSums> sums = quantize(sc, plan, spec, sc.broadcast(ranges), output, write);

      metrics = MetricsAggregator.aggregate(plan, sums);
      removeRejectedBlocks(metrics, output, write);
      warnOnConfigsWithoutQuantizedTensors(metrics);
      if (EmptyQuantizedFolder.writeIfEmpty(spark, output.fileSystem(), output.temporary(OutputFolder.QUANTIZED),
          write.parquetOptions())) {
        LOG.warn("No config quantized any tensor, so {}/ contains only its schema", OutputFolder.QUANTIZED);
      }
      writeMetrics(metrics, output, write);
      ManifestBuilder.build(settings, checkpoint, plan, metrics, write, spark.version(), started, Instant.now())
          .write(output.fileSystem(), output.temporary(OutputFolder.MANIFEST));
      output.commit();
    } catch (Exception | Error e) {
      // Spark throws the checked SparkException without declaring it, so only a catch of Exception catches it.
      output.abort();
      throw e;
    }
    LOG.info("Wrote {}", output.target());

    SummaryTable.print(out, plan.configs(), metrics);
    return new JobResult(output.target().toString(), plan, metrics);
  }

  private Map<BlockKey, BlockSums> quantize(
      JavaSparkContext sc,
      JobPlan plan,
      Broadcast<JobSpec> spec,
      Broadcast<Map<Integer, TensorRange>> ranges,
      OutputFolder output,
      QuantizedWriteSettings write) {
    BlockSumsAccumulator sums = new BlockSumsAccumulator();
    sc.sc().register(sums, "qspark block sums");
    LongAccumulator unitsDone = sc.sc().longAccumulator("qspark units done");
    LongAccumulator elementsDone = sc.sc().longAccumulator("qspark elements done");

    List<List<WorkUnit>> partitions = new ArrayList<>();
    plan.partitions().forEach(partition -> partitions.add(new ArrayList<>(partition)));
    JavaRDD<Row> rows =
        sc.parallelize(partitions, Math.max(1, partitions.size()))
            .flatMap(new UnitProcessor(spec, ranges, sums, unitsDone, elementsDone));

    sc.setJobDescription(String.format("quantize %d tensors x %d configs: %d units in %d partitions",
        plan.readTensors().size(), plan.configs().size(), plan.unitCount(), plan.partitions().size()));
    try (ProgressReporter progress =
        new ProgressReporter(unitsDone, elementsDone, plan.unitCount(), plan.inputElements(),
            PROGRESS_INTERVAL_MILLIS, err)) {
      progress.listeners().forEach(sc.sc()::addSparkListener);
      try {
        QuantizedWrite.write(spark, rows, output.temporary(OutputFolder.QUANTIZED).toString(), write,
            write.parquetOptions());
      } finally {
        progress.listeners().forEach(sc.sc()::removeSparkListener);
      }
    }
    return sums.value();
  }

  /** Fails a strict job on tensors that the plan or the run rejected, naming the first few. */
  private void failOnRejections(List<TensorPlan> tensors, JobPlan plan) {
    List<String> rejections = new ArrayList<>();
    for (TensorPlan tensor : tensors) {
      for (int c = 0; c < plan.configs().size(); c++) {
        if (tensor.statuses().get(c).status() == TensorStatus.REJECTED) {
          rejections.add(tensor.name() + " under " + plan.configs().get(c).configId() + ": "
              + tensor.statuses().get(c).reason());
        }
      }
    }
    failOnRejections(rejections);
  }

  private static void failOnRejections(List<String> rejections) {
    if (!rejections.isEmpty()) {
      int shown = Math.min(STRICT_REJECTIONS_SHOWN, rejections.size());
      String count = rejections.size() == 1 ? "1 tensor is rejected: "
          : rejections.size() + " tensors are rejected" + (shown < rejections.size() ? ", the first " + shown : "")
              + ": ";
      throw new IllegalArgumentException("Cannot quantize with --strict: " + count
          + String.join("; ", rejections.subList(0, shown))
          + ". Leave out --strict to keep going and record them as rejected");
    }
  }

  /** Removes the written blocks of tensors rejected for non-finite values, or fails a strict job. */
  private void removeRejectedBlocks(List<TensorMetrics> metrics, OutputFolder output, QuantizedWriteSettings write)
      throws IOException {
    Map<String, Set<String>> rejected = new TreeMap<>();
    List<String> messages = new ArrayList<>();
    for (TensorMetrics m : metrics) {
      if (m.status().equals(TensorStatus.REJECTED.label()) && m.nonFiniteCount() != null) {
        rejected.computeIfAbsent(m.configId(), k -> new TreeSet<>()).add(m.tensor());
        messages.add(m.tensor() + " under " + m.configId() + ": " + m.reason());
      }
    }
    if (rejected.isEmpty()) {
      return;
    }
    if (settings.strict()) {
      failOnRejections(messages);
    }
    LOG.warn("Rejected {} tensors for NaN or infinite values, the first: {}", messages.size(), messages.get(0));
    RejectedTensorRemoval.remove(spark, output, rejected, write.parquetOptions());
  }

  /** Logs a WARN line for each config that quantized no tensor, with how many tensors got each status. */
  private static void warnOnConfigsWithoutQuantizedTensors(List<TensorMetrics> metrics) {
    Map<String, Map<String, Integer>> reasonsByConfig = new TreeMap<>();
    Set<String> quantizing = new TreeSet<>();
    for (TensorMetrics m : metrics) {
      if (m.status().equals(TensorStatus.QUANTIZED.label())) {
        quantizing.add(m.configId());
        continue;
      }
      if (m.status().equals(TensorStatus.KEPT.label())) {
        continue;
      }
      String reason = m.status() + (m.reason() == null ? "" : " (" + m.reason() + ")");
      reasonsByConfig.computeIfAbsent(m.configId(), k -> new TreeMap<>()).merge(reason, 1, Integer::sum);
    }
    Set<String> configIds = new TreeSet<>();
    metrics.forEach(m -> configIds.add(m.configId()));
    for (String configId : configIds) {
      if (quantizing.contains(configId)) {
        continue;
      }
      List<String> counts = new ArrayList<>();
      reasonsByConfig.getOrDefault(configId, Map.of())
          .forEach((reason, count) -> counts.add(count + " tensors " + reason));
      String summary = counts.isEmpty() ? "no target tensor was selected"
          : String.join("; ", counts.subList(0, Math.min(3, counts.size())))
              + (counts.size() > 3 ? "; and " + (counts.size() - 3) + " other reasons" : "");
      LOG.warn("Config {} quantized no tensor: {}", configId, summary);
    }
  }

  private void writeMetrics(List<TensorMetrics> metrics, OutputFolder output, QuantizedWriteSettings write) {
    spark.sparkContext().setJobDescription("write metrics of " + metrics.size() + " config x tensor pairs");
    try (BroadcastRows rows = BroadcastRows.of(spark, MetricsSchema.rows(metrics), MetricsSchema.SCHEMA)) {
      rows.dataset()
          .write()
          .options(write.parquetOptions())
          .parquet(output.temporary(OutputFolder.METRICS).toString());
    }
  }
}
