package dev.qspark.job.plan;

import java.io.Serializable;

/**
 * A block of whole rows of one tensor: what a task reads and decodes once and quantizes with every config.
 *
 * @param tensorIndex the tensor's {@link TensorPlan#index()}
 * @param rowStart the first row of the block
 * @param rowCount rows in the block
 * @param inputBytes bytes of the block in the checkpoint
 */
public record WorkUnit(int tensorIndex, long rowStart, int rowCount, long inputBytes) implements Serializable {}
