package dev.qspark.job;

import dev.qspark.job.output.TensorMetrics;
import dev.qspark.job.plan.JobPlan;
import java.util.List;

/**
 * The outcome of a successful job.
 *
 * @param output the committed output folder, fully qualified
 * @param plan the plan the job ran
 * @param metrics one entry per config and tensor, as written to {@code metrics/}
 */
public record JobResult(String output, JobPlan plan, List<TensorMetrics> metrics) {}
