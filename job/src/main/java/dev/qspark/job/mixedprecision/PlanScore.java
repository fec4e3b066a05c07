package dev.qspark.job.mixedprecision;

import java.util.List;

/**
 * Size and accuracy of a choice of one option per planned tensor.
 *
 * @param nominalBitsPerWeight element-weighted mean nominal bits per weight over all planned tensors
 * @param storedBytes stored bytes of all planned tensors (input bytes for unquantized ones)
 * @param minSqnrDb lowest SQNR of the quantized tensors; NaN when none is quantized
 * @param meanSqnrDb element-weighted mean SQNR of the quantized tensors; NaN when none is quantized
 */
public record PlanScore(double nominalBitsPerWeight, long storedBytes, double minSqnrDb, double meanSqnrDb) {

  public static PlanScore of(List<PlanOption> chosen) {
    long elements = 0;
    long quantizedElements = 0;
    long storedBytes = 0;
    double bits = 0;
    double weightedSqnr = 0;
    double min = Double.NaN;
    for (PlanOption option : chosen) {
      elements += option.elements();
      storedBytes += option.storedBytes();
      bits += option.nominalBitsPerWeight() * option.elements();
      if (option.isQuantized()) {
        quantizedElements += option.elements();
        weightedSqnr += option.sqnrDb() * option.elements();
        min = Double.isNaN(min) ? option.sqnrDb() : Math.min(min, option.sqnrDb());
      }
    }
    return new PlanScore(elements == 0 ? Double.NaN : bits / elements, storedBytes, min,
        quantizedElements == 0 ? Double.NaN : weightedSqnr / quantizedElements);
  }

  /** The value of {@code objective} for this choice. */
  public double value(PlanObjective objective) {
    return objective == PlanObjective.MIN_SQNR ? minSqnrDb : meanSqnrDb;
  }

  /** The size in the budget's kind: nominal bits per weight, or stored bytes. */
  public double size(PlanBudget.Kind kind) {
    return kind == PlanBudget.Kind.STORED_BYTES ? storedBytes : nominalBitsPerWeight;
  }
}
