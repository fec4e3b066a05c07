package dev.qspark.job.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Counts one config's and tensor's scales in {@link ScaleStatistics#HISTOGRAM_BINS} equal-width bins
 * between its smallest and largest scale. Runs on the executors, once per partition of {@code
 * quantized/} rows ({@code config_id}, {@code tensor}, {@code scale}); each row's scales are binned in
 * a loop, so the group is looked up once per block rather than once per scale.
 *
 * @param ranges each group's smallest and largest scale
 */
record ScaleHistogram(Map<ScaleHistogram.Group, float[]> ranges)
    implements PairFlatMapFunction<Iterator<Row>, ScaleHistogram.Group, long[]>, Serializable {

  /** A config and tensor, the group whose scales one histogram counts. */
  record Group(String configId, String tensor) implements Serializable {}

  @Override
  public Iterator<Tuple2<Group, long[]>> call(Iterator<Row> rows) {
    Map<Group, long[]> counts = new HashMap<>();
    while (rows.hasNext()) {
      Row row = rows.next();
      if (row.isNullAt(2)) {
        continue;
      }
      Group key = new Group(row.getString(0), row.getString(1));
      float[] range = ranges.get(key);
      if (range == null) {
        continue;
      }
      long[] bins = counts.computeIfAbsent(key, k -> new long[ScaleStatistics.HISTOGRAM_BINS]);
      for (Float scale : row.<Float>getList(2)) {
        if (scale != null) {
          bins[bin(scale, range[0], range[1])]++;
        }
      }
    }
    List<Tuple2<Group, long[]>> out = new ArrayList<>(counts.size());
    counts.forEach((key, bins) -> out.add(new Tuple2<>(key, bins)));
    return out.iterator();
  }

  /**
   * Returns the bin of {@code scale}, as the Spark SQL expression {@code least(floor((s - min) / (max - min)
   * * 32), 31)} computes it for float columns: the subtractions in float, the division and product
   * in double. Every scale of a group whose scales are all equal is in bin 0.
   */
  static int bin(float scale, float min, float max) {
    if (!(max > min)) {
      return 0;
    }
    float offset = scale - min;
    float width = max - min;
    long bin = (long) Math.floor((double) offset / (double) width * ScaleStatistics.HISTOGRAM_BINS);
    return (int) Math.min(bin, ScaleStatistics.HISTOGRAM_BINS - 1);
  }

  /** Adds two groups' bin counts into the first. */
  static long[] add(long[] counts, long[] other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other[i];
    }
    return counts;
  }
}
