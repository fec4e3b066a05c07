package dev.qspark.kernels;

/**
 * The torchao release whose numerics, defaults and validity rules a config follows.
 *
 * <p>0.15 is the default because it is the newest release in which every config exists in both
 * versions. Version 1 of Int4WeightOnlyConfig and IntxWeightOnlyConfig ends at 0.15,
 * UIntXWeightOnlyConfig at 0.16 (as a prototype there) and version 1 of Int8WeightOnlyConfig at 0.17.
 */
public enum TorchaoRelease {
  V0_15("0.15"),
  V0_16("0.16"),
  V0_17("0.17"),
  V0_18("0.18");

  public static final TorchaoRelease DEFAULT = V0_15;

  private final String label;

  TorchaoRelease(String label) {
    this.label = label;
  }

  /** The release as users write it, e.g. {@code 0.15}. */
  public String label() {
    return label;
  }

  public boolean isAtLeast(TorchaoRelease other) {
    return compareTo(other) >= 0;
  }

  public boolean isAtMost(TorchaoRelease other) {
    return compareTo(other) <= 0;
  }

  /** Parses {@code 0.15}, {@code 0.15.0} or {@code v0.15.0}. */
  public static TorchaoRelease parse(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("v")) {
      trimmed = trimmed.substring(1);
    }
    if (trimmed.endsWith(".0") && trimmed.chars().filter(c -> c == '.').count() == 2) {
      trimmed = trimmed.substring(0, trimmed.length() - 2);
    }
    for (TorchaoRelease release : values()) {
      if (release.label.equals(trimmed)) {
        return release;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported torchao release '" + text + "': expected one of 0.15, 0.16, 0.17, 0.18");
  }

  @Override
  public String toString() {
    return label;
  }
}
