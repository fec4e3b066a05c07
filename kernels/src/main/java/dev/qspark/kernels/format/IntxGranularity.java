package dev.qspark.kernels.format;

import dev.qspark.kernels.Granularity;

/** The granularities IntxWeightOnlyConfig accepts: {@code PerAxis(0)} and {@code PerGroup(n)}. */
final class IntxGranularity {

  private IntxGranularity() {}

  static Granularity require(Granularity granularity, String config) {
    if (granularity instanceof Granularity.PerGroup) {
      return granularity;
    }
    if (granularity instanceof Granularity.PerAxis perAxis && perAxis.axis() == 0) {
      return granularity;
    }
    throw new IllegalArgumentException("Unsupported granularity "
        + (granularity == null ? "null" : granularity.torchaoSyntax()) + " for " + config
        + ": expected PerAxis(0) or PerGroup(n)");
  }
}
