package dev.qspark.job.mixedprecision;

/**
 * The size limit of a mixed-precision plan, over the planned tensors (every tensor some config of
 * the sweep targets).
 *
 * @param kind what the value limits
 * @param value nominal bits per weight, averaged over the planned tensors' elements, or stored bytes
 */
public record PlanBudget(Kind kind, double value) {

  public enum Kind {
    /** The element-weighted mean of the metrics' {@code nominal_bits_per_weight}. */
    NOMINAL_BITS_PER_WEIGHT("nominal_bits_per_weight"),
    /** The sum of the metrics' {@code stored_bytes} (input bytes for a tensor left unquantized). */
    STORED_BYTES("stored_bytes");

    private final String column;

    Kind(String column) {
      this.column = column;
    }

    /** The metrics column the budget limits, also its key in plan.json. */
    public String column() {
      return column;
    }
  }

  public PlanBudget {
    if (kind == null) {
      throw new IllegalArgumentException("Invalid budget: the kind is missing");
    }
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("Invalid budget " + value + " " + kind.column() + ": expected a positive"
          + " finite number");
    }
  }

  public static PlanBudget nominalBits(double bitsPerWeight) {
    return new PlanBudget(Kind.NOMINAL_BITS_PER_WEIGHT, bitsPerWeight);
  }

  public static PlanBudget storedBytes(long bytes) {
    return new PlanBudget(Kind.STORED_BYTES, bytes);
  }
}
