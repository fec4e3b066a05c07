package dev.qspark.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The qspark version from the {@code version.properties} resource the build fills in. */
final class QsparkVersion {

  private static final String RESOURCE = "/dev/qspark/job/cli/version.properties";

  private QsparkVersion() {}

  /** Returns the version, or {@code unknown} when the resource is missing (a build without resources). */
  static String get() {
    try (InputStream in = QsparkVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the qspark version from " + RESOURCE, e);
    }
  }
}
