package dev.qspark.kernels.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One file of torchao test vectors: the reference's config name, its kwargs and the cases.
 *
 * @param name the file name, for messages
 * @param config the reference's config name, e.g. {@code intx_v2} or {@code int4_v2_plain}
 * @param kwargs the config arguments in the reference's words, with {@code profile} and {@code device}
 * @param cases the cases, each with an input and either {@code error} or the expected tensors
 */
record VectorFile(String name, String config, JsonNode kwargs, JsonNode cases) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The folder the system property {@code qspark.vectors.dir} names, else the test-resource copy. */
  static Path configuredFolder() {
    return Path.of(System.getProperty("qspark.vectors.dir", "src/test/resources/vectors"));
  }

  /** Lists the vector files of a folder: every {@code *.json} except {@code index.json}, sorted. */
  static List<Path> list(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(path -> path.getFileName().toString().endsWith(".json"))
          .filter(path -> !path.getFileName().toString().equals("index.json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list vector files in " + folder, e);
    }
  }

  static VectorFile read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read vector file " + file, e);
    }
    return new VectorFile(file.getFileName().toString(), root.path("config").asText(), root.path("kwargs"),
        root.path("cases"));
  }

  TorchaoRelease release() {
    return TorchaoRelease.parse(kwargs.path("profile").asText());
  }

  DeviceArithmetic device() {
    return DeviceArithmetic.parse(kwargs.path("device").asText());
  }

  /** The config in torchao's constructor syntax. */
  String torchaoConfig() {
    return TorchaoConfigText.of(config, kwargs);
  }
}
