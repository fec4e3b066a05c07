package dev.qspark.job.plan;

import java.io.Serializable;

/**
 * The status of one tensor under one config as decided on the driver from the header, with its reason.
 * A tensor planned {@link TensorStatus#QUANTIZED} can still end rejected when its values are not finite.
 */
public record PlannedStatus(TensorStatus status, String reason) implements Serializable {}
