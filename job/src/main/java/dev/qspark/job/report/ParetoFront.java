package dev.qspark.job.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The configs that no other config beats on both size and accuracy. */
public final class ParetoFront {

  private ParetoFront() {}

  /**
   * Returns the summaries on the Pareto front of bits per weight (lower is better) against mean
   * SQNR (higher is better), ordered by bits per weight. A config is on the front unless another
   * config has at most its bits per weight and at least its mean SQNR, and is strictly better in
   * one of the two. Configs with a NaN in either value, or with rejected tensors (torchao raises
   * for them, so the config cannot be applied to the model), are never on the front.
   */
  public static List<ConfigSummary> of(List<ConfigSummary> summaries) {
    List<ConfigSummary> candidates = new ArrayList<>();
    for (ConfigSummary summary : summaries) {
      if (isEligible(summary)) {
        candidates.add(summary);
      }
    }
    List<ConfigSummary> front = new ArrayList<>();
    for (ConfigSummary candidate : candidates) {
      boolean dominated = false;
      for (ConfigSummary other : candidates) {
        if (other != candidate && dominates(other, candidate)) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        front.add(candidate);
      }
    }
    front.sort(Comparator.comparingDouble(ConfigSummary::bitsPerWeight)
        .thenComparing(ConfigSummary::configId));
    return front;
  }

  /** Counts the distinct (bits per weight, mean SQNR) points of {@code summaries}, so coincident configs count once. */
  public static int distinctPoints(List<ConfigSummary> summaries) {
    Set<List<Double>> points = new HashSet<>();
    for (ConfigSummary summary : summaries) {
      points.add(List.of(summary.bitsPerWeight(), summary.sqnr().mean()));
    }
    return points.size();
  }

  static boolean isEligible(ConfigSummary summary) {
    return summary.rejected() == 0
        && !Double.isNaN(summary.bitsPerWeight())
        && !Double.isNaN(summary.sqnr().mean());
  }

  private static boolean dominates(ConfigSummary a, ConfigSummary b) {
    boolean noWorse = a.bitsPerWeight() <= b.bitsPerWeight() && a.sqnr().mean() >= b.sqnr().mean();
    boolean better = a.bitsPerWeight() < b.bitsPerWeight() || a.sqnr().mean() > b.sqnr().mean();
    return noWorse && better;
  }
}
