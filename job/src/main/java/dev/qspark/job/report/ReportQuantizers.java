package dev.qspark.job.report;

import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfig;
import java.util.Optional;

/** Finds the kernel that dequantizes a config's stored blocks, for the report's comparisons. */
final class ReportQuantizers {

  private ReportQuantizers() {}

  /** Returns the kernel for {@code config}, or empty for a format qspark does not produce. */
  static Optional<WeightQuantizer> forConfig(QuantConfig config) {
    try {
      return Optional.of(Quantizers.forConfig(config));
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
