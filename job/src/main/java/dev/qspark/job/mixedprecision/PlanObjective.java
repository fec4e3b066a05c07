package dev.qspark.job.mixedprecision;

/** What a mixed-precision plan maximizes over the planned tensors. */
public enum PlanObjective {
  /** The lowest SQNR of any quantized tensor; ties are broken by the element-weighted mean SQNR. */
  MIN_SQNR("min-sqnr"),
  /** The mean SQNR in dB of the quantized tensors, weighted by their element counts. */
  MEAN_SQNR("mean-sqnr");

  private final String label;

  PlanObjective(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Parses {@code min-sqnr} or {@code mean-sqnr}. */
  public static PlanObjective parse(String text) {
    for (PlanObjective objective : values()) {
      if (objective.label.equals(text.trim())) {
        return objective;
      }
    }
    throw new IllegalArgumentException("Invalid objective '" + text + "': expected min-sqnr or mean-sqnr");
  }

  @Override
  public String toString() {
    return label;
  }
}
