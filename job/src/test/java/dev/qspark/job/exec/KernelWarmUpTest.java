package dev.qspark.job.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.plan.JobConfig;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelWarmUpTest {

  private static final long TIMEOUT_MILLIS = 60_000;

  @Test
  void runsRoundsUntilClosed() throws InterruptedException {
    List<JobConfig> configs = List.of(
        config("Int4WeightOnlyConfig(group_size=128)"),
        config("Int8WeightOnlyConfig(granularity=PerTensor(), version=2)"));
    KernelWarmUp warmUp = KernelWarmUp.start(configs);
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    while (warmUp.rounds() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }

    warmUp.close();
    assertThat(warmUp.awaitStop(TIMEOUT_MILLIS)).as("the thread stops after close").isTrue();

    assertThat(warmUp.rounds()).isGreaterThanOrEqualTo(2);
    assertThat(warmUp.failure()).isNull();
  }

  private static JobConfig config(String text) {
    QuantConfig config = QuantConfigs.parse(text, TorchaoRelease.V0_15, DeviceArithmetic.CUDA);
    return new JobConfig(text, config, Quantizers.forConfig(config));
  }
}
