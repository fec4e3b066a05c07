package dev.qspark.job.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Mean, median and minimum of a set of SQNR values in dB.
 *
 * <p>An exact result has an infinite SQNR. The mean and median use the finite values only, because
 * one infinite value would make the mean infinite; the minimum uses every value. All three are NaN
 * when there is no value to use.
 */
public record SqnrStatistics(int count, double mean, double median, double min) {

  public static SqnrStatistics of(List<Double> values) {
    List<Double> finite = new ArrayList<>();
    double min = Double.NaN;
    for (Double value : values) {
      if (value == null || value.isNaN()) {
        continue;
      }
      min = Double.isNaN(min) ? value : Math.min(min, value);
      if (!value.isInfinite()) {
        finite.add(value);
      }
    }
    if (finite.isEmpty()) {
      return new SqnrStatistics(values.size(), Double.NaN, Double.NaN, min);
    }
    Collections.sort(finite);
    double sum = 0;
    for (double value : finite) {
      sum += value;
    }
    int middle = finite.size() / 2;
    double median = finite.size() % 2 == 1
        ? finite.get(middle)
        : (finite.get(middle - 1) + finite.get(middle)) / 2;
    return new SqnrStatistics(values.size(), sum / finite.size(), median, min);
  }
}
