package dev.qspark.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The parts of a sweep's {@code manifest.json} the report uses: the torchao release, each config's
 * device arithmetic, and the top-level facts shown in the page header.
 *
 * <p>NOTE: the reader accepts the field names {@code torchao_release} or {@code torchao}, and
 * {@code device_arithmetic} or {@code device} (top level or in a {@code configs} entry with a
 * matching {@code config_id}). A missing manifest or field falls back to torchao 0.15 and each
 * format's default device.
 */
public final class SweepManifest {

  public static final String FILE_NAME = "manifest.json";

  private final JsonNode root;

  private SweepManifest(JsonNode root) {
    this.root = root;
  }

  /** Reads {@code DIR/manifest.json}, or returns an empty manifest when the file does not exist. */
  public static SweepManifest read(String sweepDir, Configuration conf) throws IOException {
    Path path = new Path(sweepDir, FILE_NAME);
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      return new SweepManifest(MissingNode.getInstance());
    }
    try (InputStream in = fs.open(path)) {
      return new SweepManifest(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new IOException("Cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  public TorchaoRelease release() {
    String text = firstText(root, "torchao_release", "torchao");
    return text == null ? TorchaoRelease.DEFAULT : TorchaoRelease.parse(text);
  }

  /** The device arithmetic of a config, or null for the format's default. */
  public DeviceArithmetic deviceArithmetic(String configId) {
    for (JsonNode config : root.path("configs")) {
      if (configId.equals(config.path("config_id").asText(null))) {
        DeviceArithmetic device = deviceOrNull(firstText(config, "device_arithmetic", "device"));
        if (device != null) {
          return device;
        }
      }
    }
    return deviceOrNull(firstText(root, "device_arithmetic", "device"));
  }

  /** Parses a device name; null and {@code default} (the job's word for each format's own device) give null. */
  private static DeviceArithmetic deviceOrNull(String text) {
    return text == null || text.equals("default") ? null : DeviceArithmetic.parse(text);
  }

  /** The manifest's top-level text, number and boolean fields, in file order, for display. */
  public Map<String, String> scalarFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    root.fields().forEachRemaining(entry -> {
      if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
        fields.put(entry.getKey(), entry.getValue().asText());
      }
    });
    return fields;
  }

  private static String firstText(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode value = node.path(name);
      if (value.isTextual() || value.isNumber()) {
        return value.asText();
      }
    }
    return null;
  }
}
