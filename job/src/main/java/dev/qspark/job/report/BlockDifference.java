package dev.qspark.job.report;

import java.io.Serializable;

/**
 * Counts of where two versions of a config differ on the same rows of one tensor.
 *
 * @param values elements compared
 * @param differingValues elements whose dequantized values differ; -1 when the blocks could not be
 *     dequantized
 * @param groups scale groups compared
 * @param differingScaleGroups groups whose stored scale differs; -1 when the versions store
 *     different numbers of groups per row
 * @param maxAbsDifference largest absolute difference of dequantized values; NaN when not dequantized
 */
public record BlockDifference(
    long values, long differingValues, long groups, long differingScaleGroups, double maxAbsDifference)
    implements Serializable {

  /** Sums two counts; an unknown count (-1 or NaN) in either makes the sum unknown. */
  public BlockDifference plus(BlockDifference other) {
    return new BlockDifference(
        values + other.values,
        differingValues < 0 || other.differingValues < 0 ? -1 : differingValues + other.differingValues,
        groups + other.groups,
        differingScaleGroups < 0 || other.differingScaleGroups < 0
            ? -1 : differingScaleGroups + other.differingScaleGroups,
        Double.isNaN(maxAbsDifference) || Double.isNaN(other.maxAbsDifference)
            ? Double.NaN : Math.max(maxAbsDifference, other.maxAbsDifference));
  }

  /** Share of values whose dequantized result differs, or NaN when unknown. */
  public double differingValueShare() {
    return differingValues < 0 || values == 0 ? Double.NaN : (double) differingValues / values;
  }

  /** Share of groups whose scale differs, or NaN when unknown. */
  public double differingScaleShare() {
    return differingScaleGroups < 0 || groups == 0 ? Double.NaN : (double) differingScaleGroups / groups;
  }
}
