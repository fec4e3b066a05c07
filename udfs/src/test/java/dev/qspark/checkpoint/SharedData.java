package dev.qspark.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the shared test data beside the repository. */
final class SharedData {

  private SharedData() {}

  /**
   * Returns the shared folder from the system property {@code qspark.shared.dir}, which surefire
   * sets, or {@code ../../shared} relative to the module folder when run without it.
   */
  static Path sharedDir() {
    String property = System.getProperty("qspark.shared.dir");
    Path dir = property != null ? Paths.get(property) : Paths.get("..", "..", "shared");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "Cannot find the shared test data at " + dir.toAbsolutePath()
              + "; set -Dqspark.shared.dir to the folder with models/");
    }
    return dir;
  }

  static Path model(String name) {
    return sharedDir().resolve("models").resolve(name);
  }
}
