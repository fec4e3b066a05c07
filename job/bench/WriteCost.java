import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorSelection;
import dev.qspark.job.JobConfigs;
import dev.qspark.job.JobSettings;
import dev.qspark.job.exec.BlockSumsAccumulator;
import dev.qspark.job.exec.HadoopConfEntries;
import dev.qspark.job.exec.JobSpec;
import dev.qspark.job.exec.RangeStage;
import dev.qspark.job.exec.UnitProcessor;
import dev.qspark.job.output.QuantizedWrite;
import dev.qspark.job.output.QuantizedWriteSettings;
import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.JobPlan;
import dev.qspark.job.plan.Planner;
import dev.qspark.job.plan.WorkUnit;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Measures what writing the output costs the quantize stage: the stage of one config and of the
 * {@code versions} preset, each run with its rows counted and dropped, written to Parquet without
 * compression, and written as the job writes them (zstd, level 1 unless the Hadoop configuration
 * sets another). Everything runs in one JVM with {@code local[2]}, so the JVM and Spark start once
 * and no figure contains them. The stages take turns; the first round also compiles the code paths,
 * so the summary gives the median of the later rounds.
 *
 * <p>The stage mirrors {@code QuantizeJob}'s: plan from headers, tensor ranges where a config needs
 * them, {@link UnitProcessor} over the partitions, and the same partitioned Parquet write
 * ({@link QuantizedWrite}).
 *
 * <p>Usage, from the repository root after a build:
 * {@code java $(cat job/target/jvm-flags.txt) -Xmx4g -cp job/target/qspark-job.jar:$(cat job/target/spark-classpath.txt)
 * job/bench/WriteCost.java MODEL WORK_DIR [ROUNDS]}. System properties such as
 * {@code -Dspark.hadoop.parquet.compression.codec.zstd.level=3} reach the session's Hadoop configuration.
 */
public class WriteCost {

  private static final String SINGLE = "Int4WeightOnlyConfig(group_size=128)";

  /** The destination of the stage's rows. */
  enum Sink {
    DROPPED,
    PARQUET_UNCOMPRESSED,
    PARQUET_ZSTD
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("Usage: WriteCost MODEL WORK_DIR [ROUNDS]: MODEL is a safetensors checkpoint, WORK_DIR a scratch folder, ROUNDS 3 by default");
      System.exit(2);
    }
    String model = args[0];
    Path work = new Path(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;

    SparkSession spark = SparkSession.builder()
        .master("local[2]")
        .appName("qspark WriteCost")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    FileSystem fs = work.getFileSystem(sc.hadoopConfiguration());

    Map<String, List<String>> jobs = new LinkedHashMap<>();
    jobs.put("single", List.of(SINGLE));
    jobs.put("versions", presetConfigs("versions"));

    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (Map.Entry<String, List<String>> job : jobs.entrySet()) {
        for (Sink sink : Sink.values()) {
          Path out = new Path(work, job.getKey() + "-" + sink.name().toLowerCase(Locale.ROOT));
          fs.delete(out, true);
          long start = System.nanoTime();
          long rows = runStage(spark, sc, model, job.getValue(), sink, out);
          double elapsed = (System.nanoTime() - start) / 1e9;
          if (sink != Sink.DROPPED) {
            rows = spark.read().parquet(out.toString()).count();
          }
          long stored = sink == Sink.DROPPED ? 0 : fs.getContentSummary(out).getLength();
          fs.delete(out, true);
          System.out.printf(Locale.ROOT, "round %d  %-8s  %-20s  %7.1f s  %5d rows  %8.0f MiB stored%n",
              round, job.getKey(), sink, elapsed, rows, stored / 1048576.0);
          if (round > 1 || rounds == 1) {
            seconds.computeIfAbsent(job.getKey() + " " + sink, k -> new ArrayList<>()).add(elapsed);
          }
        }
      }
    }
    System.out.println();
    System.out.println("| stage | rows dropped s | Parquet uncompressed s | Parquet zstd s |");
    System.out.println("|---|---|---|---|");
    for (String job : jobs.keySet()) {
      StringBuilder line = new StringBuilder("| " + job + " |");
      for (Sink sink : Sink.values()) {
        line.append(String.format(Locale.ROOT, " %.1f |", median(seconds.get(job + " " + sink))));
      }
      System.out.println(line);
    }
    for (Sink sink : Sink.values()) {
      System.out.printf(Locale.ROOT, "versions / single, %s: %.2f%n", sink,
          median(seconds.get("versions " + sink)) / median(seconds.get("single " + sink)));
    }
    spark.stop();
  }

  /**
   * Runs the quantize stage of {@code texts} on {@code model}. Returns the number of rows it dropped,
   * or -1 when it wrote them.
   */
  static long runStage(SparkSession spark, JavaSparkContext sc, String model, List<String> texts, Sink sink, Path out)
      throws Exception {
    List<JobConfig> configs = JobConfigs.parse(texts, TorchaoRelease.DEFAULT, null, "benchmark configs");
    Checkpoint checkpoint = Checkpoint.open(model, sc.hadoopConfiguration(), CheckpointOptions.DEFAULT);
    JobPlan plan = new Planner(TensorSelection.defaults(), configs, JobSettings.defaultUnitBytes(configs.size()))
        .plan(checkpoint, null, sc.defaultParallelism());
    JobSpec spec = new JobSpec(plan.configs(), plan.tensors(), HadoopConfEntries.capture(sc.hadoopConfiguration()));
    var specBroadcast = sc.broadcast(spec);
    Map<Integer, TensorRange> ranges =
        RangeStage.run(sc, plan, specBroadcast, RangeStage.tensorsNeedingRanges(plan));
    BlockSumsAccumulator sums = new BlockSumsAccumulator();
    sc.sc().register(sums);
    List<List<WorkUnit>> partitions = new ArrayList<>();
    plan.partitions().forEach(partition -> partitions.add(new ArrayList<>(partition)));
    JavaRDD<Row> rows = sc.parallelize(partitions, Math.max(1, partitions.size()))
        .flatMap(new UnitProcessor(specBroadcast, sc.broadcast(ranges), sums, sc.sc().longAccumulator(),
            sc.sc().longAccumulator()));
    if (sink == Sink.DROPPED) {
      return rows.count();
    }
    QuantizedWriteSettings write = QuantizedWriteSettings.forConfigs(plan.configs().size(),
            QuantizedWriteSettings.tasksPerExecutor(sc.sc()), QuantizedWriteSettings.WRITER_BUFFER_BYTES_DEFAULT)
        .withZstdLevelOf(sc.hadoopConfiguration());
    Map<String, String> options = new HashMap<>(write.parquetOptions());
    if (sink == Sink.PARQUET_UNCOMPRESSED) {
      options.put("compression", "uncompressed");
      options.remove(QuantizedWriteSettings.ZSTD_LEVEL);
    }
    QuantizedWrite.write(spark, rows, out.toString(), write, options);
    return -1;
  }

  static List<String> presetConfigs(String name) throws Exception {
    List<String> texts = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        ClassLoader.getSystemResourceAsStream("presets/" + name + ".txt"), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String text = line.strip();
        if (!text.isEmpty() && !text.startsWith("#")) {
          texts.add(text);
        }
      }
    }
    return texts;
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
