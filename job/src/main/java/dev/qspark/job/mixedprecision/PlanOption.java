package dev.qspark.job.mixedprecision;

/**
 * One way to store one tensor: a config that quantized it in the sweep, or no config at all.
 *
 * @param configId null when the tensor stays unquantized
 * @param config the canonical config, null when unquantized
 * @param storedBytes stored bytes, or the input bytes when unquantized
 * @param nominalBitsPerWeight nominal bits per weight, or the input dtype's bits when unquantized
 * @param sqnrDb the tensor's SQNR under the config; positive infinity when unquantized
 */
public record PlanOption(
    String configId, String config, long elements, long storedBytes, double nominalBitsPerWeight, double sqnrDb) {

  public boolean isQuantized() {
    return configId != null;
  }

  /** The option's size in the budget's unit: bits for a bits-per-weight budget, bytes for a byte budget. */
  double cost(PlanBudget.Kind kind) {
    return kind == PlanBudget.Kind.STORED_BYTES ? storedBytes : nominalBitsPerWeight * elements;
  }
}
