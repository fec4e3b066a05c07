package dev.qspark.checkpoint;

import java.io.Serializable;

/**
 * Whether a tensor is quantized or kept as it is, and why.
 *
 * @param action quantize or keep
 * @param reason a short phrase for reports, such as {@code linear weight} or {@code bias}
 */
public record SelectionDecision(Action action, String reason) implements Serializable {

  public enum Action {
    QUANTIZE,
    KEEP
  }

  public static SelectionDecision quantize(String reason) {
    return new SelectionDecision(Action.QUANTIZE, reason);
  }

  public static SelectionDecision keep(String reason) {
    return new SelectionDecision(Action.KEEP, reason);
  }

  public boolean isQuantize() {
    return action == Action.QUANTIZE;
  }
}
