package dev.qspark.job.report;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Takes screenshots of local HTML files with Debian's headless Chromium, with networking features off. */
final class HeadlessChromium {

  private static final long TIMEOUT_SECONDS = 120;

  private HeadlessChromium() {}

  /** Returns the Chromium executable on the PATH ({@code chromium} or {@code chromium-browser}). */
  static Optional<Path> find() {
    String pathVariable = System.getenv("PATH");
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** Renders {@code page} at 1280 x {@code height} pixels into {@code screenshot} (PNG). */
  static void screenshot(Path chromium, Path page, Path screenshot, int height, Path scratch)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(scratch, "chromium-profile");
    Path log = scratch.resolve("chromium.log");
    Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--screenshot=" + screenshot.toAbsolutePath(),
        "--window-size=1280," + height, page.toUri().toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("Chromium timed out after " + TIMEOUT_SECONDS + " s rendering " + page
          + "; its output is in " + log);
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(screenshot)) {
      throw new IOException("Chromium failed with exit code " + process.exitValue() + " rendering " + page
          + ": " + Files.readString(log));
    }
  }
}
