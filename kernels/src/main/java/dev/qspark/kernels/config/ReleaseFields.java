package dev.qspark.kernels.config;

import dev.qspark.kernels.TorchaoRelease;

/** Checks shared by every config: fields that only some releases declare, and versions that releases removed. */
final class ReleaseFields {

  private ReleaseFields() {}

  /**
   * Requires {@code value} to be non-null exactly when the release declares the field, so a config built
   * directly has the same shape as a parsed one.
   */
  static void requirePresence(
      String className, TorchaoRelease release, String field, Object value, boolean declared) {
    if (declared && value == null) {
      throw new InvalidConfigException(
          "Invalid " + className + ": field " + field + " is missing; torchao " + release + " declares it");
    }
    if (!declared && value != null) {
      throw new InvalidConfigException(
          "Invalid " + className + ": field " + field + " does not exist in torchao " + release);
    }
  }

  /**
   * Requires version 1 or 2, and version 1 only up to {@code lastVersion1Release}.
   */
  static void requireVersion(String className, TorchaoRelease release, int version, TorchaoRelease lastVersion1Release) {
    if (version != 1 && version != 2) {
      throw InvalidConfigException.unsupported(className, "version", Integer.toString(version), "expected 1 or 2");
    }
    if (version == 1 && !release.isAtMost(lastVersion1Release)) {
      throw InvalidConfigException.unsupported(className, "version", "1",
          "version 1 of " + className + " does not exist in torchao " + release + ": its last release is "
              + lastVersion1Release + "; use version=2 or release " + lastVersion1Release);
    }
  }
}
