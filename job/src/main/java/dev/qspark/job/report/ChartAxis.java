package dev.qspark.job.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear axis that maps data values to pixels, with round tick values (1, 2 or 5 times a power of
 * ten) that cover the data range.
 */
final class ChartAxis {

  private static final int TARGET_TICKS = 6;

  private final double low;
  private final double high;
  private final double step;
  private final double pixelStart;
  private final double pixelEnd;

  /**
   * @param dataMin smallest value to show
   * @param dataMax largest value to show
   * @param pixelStart pixel of {@code low}; for a vertical axis the bottom, so pixelStart > pixelEnd
   */
  ChartAxis(double dataMin, double dataMax, double pixelStart, double pixelEnd) {
    double min = dataMin;
    double max = dataMax;
    if (!(max > min)) {
      double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
      min -= pad;
      max += pad;
    }
    this.step = niceStep((max - min) / TARGET_TICKS);
    this.low = Math.floor(min / step) * step;
    this.high = Math.ceil(max / step) * step;
    this.pixelStart = pixelStart;
    this.pixelEnd = pixelEnd;
  }

  double pixel(double value) {
    return pixelStart + (value - low) / (high - low) * (pixelEnd - pixelStart);
  }

  List<Double> ticks() {
    List<Double> ticks = new ArrayList<>();
    for (double tick = low; tick <= high + step / 2; tick += step) {
      ticks.add(Math.abs(tick) < step * 1e-9 ? 0.0 : tick);
    }
    return ticks;
  }

  /** Digits after the decimal point that tell the ticks apart. */
  int decimals() {
    return Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
  }

  static double niceStep(double rough) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    double fraction = rough / magnitude;
    double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * magnitude;
  }
}
