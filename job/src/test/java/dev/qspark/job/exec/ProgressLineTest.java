package dev.qspark.job.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  private static final long START = 1_000_000_000L;

  private static long at(long seconds) {
    return START + TimeUnit.SECONDS.toNanos(seconds);
  }

  @Test
  void firstLineRatesSinceStart() {
    ProgressLine line = new ProgressLine(8, 1_000_000_000L, START);

    // 250 M of 1 G params in 5 s: 50 M/s, and 750 M left take 15 s.
    assertThat(line.running(2, 250_000_000L, at(5)))
        .isEqualTo("qspark: quantize 2/8 units, 25 % of params, 50.00 M params/s, 5 s elapsed, about 15 s left");
  }

  @Test
  void rateCoversLastWindowOnly() {
    ProgressLine line = new ProgressLine(100, 10_000_000_000L, START);
    line.running(1, 100_000_000L, at(10));
    line.running(10, 1_000_000_000L, at(20));

    // The sample at 10 s is the oldest within 15 s of 25 s: (1500 - 100) M params in 15 s.
    String text = line.running(15, 1_500_000_000L, at(25));

    assertThat(text).contains(" 93.33 M params/s, 25 s elapsed, about 1 min 31 s left");
  }

  @Test
  void omitsTimeLeftBeforeProgress() {
    ProgressLine line = new ProgressLine(4, 1_000L, START);

    assertThat(line.running(0, 0, at(3)))
        .isEqualTo("qspark: quantize 0/4 units, 0 % of params, 0 params/s, 3 s elapsed");
  }

  @Test
  void capsPercentOfDoubleCounts() {
    ProgressLine line = new ProgressLine(4, 1_000L, START);

    assertThat(line.running(4, 1_200L, at(2))).contains("4/4 units, 100 % of params").doesNotContain("left");
  }

  @Test
  void rateTakesPrefixOfItsSize() {
    assertThat(ProgressLine.rate(1.25e9)).isEqualTo("1.25 G params/s");
    assertThat(ProgressLine.rate(310.25e6)).isEqualTo("310.25 M params/s");
    assertThat(ProgressLine.rate(17_400)).isEqualTo("17.40 k params/s");
    assertThat(ProgressLine.rate(950)).isEqualTo("950 params/s");
    assertThat(ProgressLine.rate(0)).isEqualTo("0 params/s");
  }

  @Test
  void finishedLineAveragesWholeStage() {
    ProgressLine line = new ProgressLine(8, 600_000_000L, START);
    line.running(4, 500_000_000L, at(2));

    assertThat(line.finished(8, 600_000_000L, at(125)))
        .isEqualTo("qspark: quantize 8/8 units in 2 min 5 s, 4.80 M params/s on average");
  }

  @Test
  void formatsDurationsInLargestUnits() {
    assertThat(ProgressLine.duration(TimeUnit.MILLISECONDS.toNanos(59_999))).isEqualTo("59 s");
    assertThat(ProgressLine.duration(TimeUnit.SECONDS.toNanos(60))).isEqualTo("1 min 0 s");
    assertThat(ProgressLine.duration(TimeUnit.SECONDS.toNanos(3_725))).isEqualTo("1 h 2 min");
    assertThat(ProgressLine.duration(-5)).isEqualTo("0 s");
  }
}
