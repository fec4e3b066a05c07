package dev.qspark.job.exec;

import java.io.Serializable;

/** Identifies one config's result for one block, so a block reported twice by a retried task counts once. */
public record BlockKey(String configId, String tensor, long rowStart) implements Serializable {}
