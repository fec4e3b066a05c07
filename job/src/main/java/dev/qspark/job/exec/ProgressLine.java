package dev.qspark.job.exec;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Text of the quantize stage's progress lines. A running line's rate covers the last {@link
 * #WINDOW_NANOS} only, so it follows the stage's current speed, and the time left is the params still
 * to do at that rate. The final line gives the average of the whole stage. Not thread-safe.
 */
final class ProgressLine {

  /** How far back the rate of a running line looks. */
  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(15);

  private final long unitsTotal;
  private final long elementsTotal;
  private final long startNanos;
  /** Earlier (time, elements) samples within the window, oldest first. */
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  ProgressLine(long unitsTotal, long elementsTotal, long startNanos) {
    this.unitsTotal = unitsTotal;
    this.elementsTotal = elementsTotal;
    this.startNanos = startNanos;
    samples.add(new long[] {startNanos, 0});
  }

  /**
   * Returns the line of a running stage, e.g. {@code qspark: quantize 120/480 units, 25 % of params,
   * 310.25 M params/s, 41 s elapsed, about 1 min 58 s left}, and records the sample. The time left is
   * left out until some params are done.
   */
  String running(long units, long elements, long nowNanos) {
    while (samples.size() > 1 && nowNanos - samples.peekFirst()[0] > WINDOW_NANOS) {
      samples.removeFirst();
    }
    long[] oldest = samples.peekFirst();
    double rate = perSecond(elements - oldest[1], nowNanos - oldest[0]);
    samples.addLast(new long[] {nowNanos, elements});

    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "qspark: quantize %d/%d units, %d %% of params, %s, %s elapsed",
        units, unitsTotal, percent(elements), rate(rate), duration(nowNanos - startNanos)));
    long remaining = Math.max(0, elementsTotal - elements);
    if (rate > 0 && remaining > 0) {
      line.append(", about ").append(duration((long) (remaining / rate * 1e9))).append(" left");
    }
    return line.toString();
  }

  /** Returns the line of a finished stage: its duration and average rate. */
  String finished(long units, long elements, long nowNanos) {
    return String.format(Locale.ROOT, "qspark: quantize %d/%d units in %s, %s on average",
        units, unitsTotal, duration(nowNanos - startNanos), rate(perSecond(elements, nowNanos - startNanos)));
  }

  /**
   * Formats params per second with the SI prefix that keeps the figure at 1 or more: {@code 1.25 G
   * params/s}, {@code 310.25 M params/s}, {@code 17.40 k params/s}, {@code 950 params/s}. Small
   * models quantize at thousands of params per second, which a fixed M showed as 0.00.
   */
  static String rate(double perSecond) {
    if (perSecond >= 1e9) {
      return String.format(Locale.ROOT, "%.2f G params/s", perSecond / 1e9);
    }
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M params/s", perSecond / 1e6);
    }
    if (perSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.2f k params/s", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f params/s", perSecond);
  }

  private int percent(long elements) {
    return elementsTotal <= 0 ? 100 : (int) Math.min(100, elements * 100 / elementsTotal);
  }

  private static double perSecond(long elements, long nanos) {
    return nanos <= 0 ? 0 : elements * 1e9 / nanos;
  }

  /** Formats a duration rounded down to whole seconds: {@code 41 s}, {@code 2 min 3 s}, {@code 1 h 5 min}. */
  static String duration(long nanos) {
    long seconds = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(nanos));
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }
}
