package dev.qspark.kernels.config;

import dev.qspark.kernels.DeviceArithmetic;
import java.util.Locale;

/** Builds a config id: family, {@code v<version>}, then one token per non-default field, joined by '-'. */
final class ConfigIdBuilder {

  private final StringBuilder id;

  ConfigIdBuilder(String family, int version) {
    id = new StringBuilder(family).append("-v").append(version);
  }

  /** Appends {@code token} when {@code isDefault} is false. */
  ConfigIdBuilder addUnlessDefault(boolean isDefault, String token) {
    if (!isDefault) {
      id.append('-').append(sanitize(token));
    }
    return this;
  }

  /** Appends the device as the last token when it differs from the format's default device. */
  String build(DeviceArithmetic device, DeviceArithmetic defaultDevice) {
    addUnlessDefault(device == defaultDevice, device.label());
    return id.toString();
  }

  /** Lower-cases and replaces every character outside {@code [a-z0-9-]} with '-'. */
  static String sanitize(String token) {
    String lower = token.toLowerCase(Locale.ROOT);
    StringBuilder clean = new StringBuilder(lower.length());
    for (char c : lower.toCharArray()) {
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      clean.append(allowed ? c : '-');
    }
    return clean.toString();
  }
}
