package dev.qspark.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobSettingsTest {

  private static final long MIB = 1L << 20;

  @Test
  void defaultUnitFullForFewConfigs() {
    assertThat(JobSettings.defaultUnitBytes(1)).isEqualTo(32 * MIB);
    assertThat(JobSettings.defaultUnitBytes(3)).isEqualTo(32 * MIB);
  }

  @Test
  void defaultUnitShrinksWithConfigs() {
    assertThat(JobSettings.defaultUnitBytes(4)).isEqualTo(24 * MIB);
    assertThat(JobSettings.defaultUnitBytes(12)).isEqualTo(8 * MIB);
    assertThat(JobSettings.defaultUnitBytes(51)).isEqualTo(96 * MIB / 51);
  }

  @Test
  void defaultUnitStopsAtOneMebibyte() {
    assertThat(JobSettings.defaultUnitBytes(97)).isEqualTo(MIB);
    assertThat(JobSettings.defaultUnitBytes(1000)).isEqualTo(MIB);
  }
}
