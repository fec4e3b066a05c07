package dev.qspark.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.plan.JobConfig;
import dev.qspark.kernels.TorchaoRelease;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobConfigsTest {

  @Test
  void warnsAboutUnreadVersion1Fields() {
    List<JobConfig> configs = JobConfigs.parse(
        List.of("Int4WeightOnlyConfig(group_size=32, use_hqq=True)", "Int4WeightOnlyConfig(group_size=32)"),
        TorchaoRelease.V0_15, null, "test configs");

    assertThat(JobConfigs.unreadFieldsWarning(configs.get(0).configId(), configs.get(0).config()))
        .hasValueSatisfying(warning -> assertThat(warning)
            .startsWith("Config int4-v2-g32-use-hqq sets use_hqq, which version 2 of Int4WeightOnlyConfig")
            .endsWith("only version=1 reads them"));
    assertThat(JobConfigs.unreadFieldsWarning(configs.get(1).configId(), configs.get(1).config())).isEmpty();
  }
}
