package dev.qspark.job.plan;

import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfig;
import java.io.Serializable;
import java.util.Objects;

/**
 * One requested config with its unique id and the kernel that reproduces it. Shipped to executors.
 *
 * @param configId the id that names the config's partition of {@code quantized/}, unique in the job
 * @param config the parsed torchao config
 * @param quantizer the kernel for the config
 */
public record JobConfig(String configId, QuantConfig config, WeightQuantizer quantizer) implements Serializable {

  public JobConfig {
    Objects.requireNonNull(configId, "configId");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(quantizer, "quantizer");
  }

  /** The config in canonical torchao syntax. */
  public String canonical() {
    return config.canonical();
  }
}
