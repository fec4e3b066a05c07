package dev.qspark.job.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The numerics settings a job ran with, read from its {@code manifest.json}: {@code torchao_release}
 * and {@code device_arithmetic} ({@code default} or absent for each format's own device).
 *
 * @param device null for each format's default device
 */
public record ManifestSettings(TorchaoRelease release, DeviceArithmetic device) {

  private static final String DEFAULT_DEVICE = "default";

  /**
   * Reads the settings from a manifest.
   *
   * @throws IllegalArgumentException when the manifest lacks the release or names an unknown release or device
   * @throws IOException when the file cannot be read or is not JSON
   */
  public static ManifestSettings read(FileSystem fs, Path manifest) throws IOException {
    JsonNode root;
    try (InputStream in = fs.open(manifest)) {
      root = new ObjectMapper().readTree(in);
    }
    JsonNode release = root.path("torchao_release");
    if (!release.isTextual()) {
      throw new IllegalArgumentException("Cannot read " + manifest + ": it has no torchao_release text field;"
          + " pass --torchao to verify without it");
    }
    JsonNode device = root.path("device_arithmetic");
    try {
      return new ManifestSettings(TorchaoRelease.parse(release.asText()),
          device.isTextual() && !DEFAULT_DEVICE.equals(device.asText())
              ? DeviceArithmetic.parse(device.asText())
              : null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot read " + manifest + ": " + e.getMessage(), e);
    }
  }
}
