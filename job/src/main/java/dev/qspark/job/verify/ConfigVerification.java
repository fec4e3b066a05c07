package dev.qspark.job.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of verifying one config.
 *
 * @param configId the config's id
 * @param quantizedTensors tensors with status quantized in {@code metrics/}
 * @param otherTensors tensors kept, skipped or rejected
 * @param blocks stored blocks of the quantized tensors
 * @param differences what does not match, one line each; empty when the config verified
 */
public record ConfigVerification(
    String configId, int quantizedTensors, int otherTensors, long blocks, List<String> differences) {

  public boolean matches() {
    return differences.isEmpty();
  }

  /** Collects a config's counts and differences. */
  static final class Builder {
    private final String configId;
    private int quantizedTensors;
    private int otherTensors;
    private long blocks;
    private final List<String> differences = new ArrayList<>();

    Builder(String configId) {
      this.configId = configId;
    }

    void countQuantized(int tensorBlocks) {
      quantizedTensors++;
      blocks += tensorBlocks;
    }

    void countOther() {
      otherTensors++;
    }

    void difference(String line) {
      differences.add(line);
    }

    ConfigVerification build() {
      return new ConfigVerification(configId, quantizedTensors, otherTensors, blocks, List.copyOf(differences));
    }
  }
}
