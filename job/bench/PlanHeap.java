import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorSelection;
import dev.qspark.job.JobConfigs;
import dev.qspark.job.JobSettings;
import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.JobPlan;
import dev.qspark.job.plan.Planner;
import dev.qspark.kernels.TorchaoRelease;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Measures the driver's live heap for planning one checkpoint: the heap after a full collection with
 * the opened checkpoint and its plan referenced, minus the heap after a full collection once both are
 * released. The job's
 * driver holds these two objects for the whole run, plus one small error-sums record per block and
 * config. Usage: java -cp JAR:SPARK_CLASSPATH job/bench/PlanHeap.java MODEL CONFIG_COUNT
 */
public class PlanHeap {

  public static void main(String[] args) throws Exception {
    String model = args[0];
    int configCount = Integer.parseInt(args[1]);
    List<String> texts = java.nio.file.Files.readAllLines(java.nio.file.Paths.get(
        "job/src/main/resources/presets/versions.txt")).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#")).limit(configCount).toList();
    List<JobConfig> configs = JobConfigs.parse(texts, TorchaoRelease.DEFAULT, null, "versions preset");
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    Checkpoint checkpoint = Checkpoint.open(model, new Configuration(), CheckpointOptions.DEFAULT);
    JobPlan plan = new Planner(TensorSelection.fromOptions(null, null), configs, JobSettings.UNIT_BYTES_DEFAULT)
        .plan(checkpoint, null, 2);
    long withPlan = liveHeap(memory);
    String summary = String.format("%s: %d tensors, %d units, %d configs, %d input bytes", model,
        plan.tensors().size(), plan.unitCount(), configs.size(), plan.inputBytes());
    checkpoint = null;
    plan = null;
    long withoutPlan = liveHeap(memory);

    System.out.printf("%s: plan and checkpoint %.3f MiB live%n", summary, (withPlan - withoutPlan) / 1048576.0);
  }

  private static long liveHeap(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
