package dev.qspark.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code manifest.json}: what a job read, which configs it applied and with which software, and what
 * came out. Field names are written in snake_case.
 *
 * @param deviceArithmetic the {@code --device-arithmetic} option, or {@code default} for each format's own
 * @param inputFiles the safetensors files read, with their sizes in bytes
 * @param counts tensor statuses summed over configs, and plan sizes
 */
public record Manifest(
    String qsparkVersion,
    String sparkVersion,
    String torchaoRelease,
    String deviceArithmetic,
    String model,
    String startedAt,
    String finishedAt,
    List<ConfigEntry> configs,
    List<InputFile> inputFiles,
    Map<String, Object> options,
    Map<String, Long> counts) {

  /** One config of the job; {@code deviceArithmetic} is the device the config's numerics follow. */
  public record ConfigEntry(String configId, String config, String className, int version, String deviceArithmetic) {}

  public record InputFile(String path, long bytes) {}

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  public void write(FileSystem fs, Path path) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      MAPPER.writeValue(out, this);
    }
  }

  /** Reads a manifest back, for tests and tools. */
  public static Map<?, ?> readAsMap(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return MAPPER.readValue(in, Map.class);
    }
  }
}
