package dev.qspark.job.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The config lists shipped with qspark, as resources {@code presets/NAME.txt}. */
final class Presets {

  /** Preset names; each has a resource {@code presets/NAME.txt}. */
  static final List<String> NAMES = List.of("versions", "all");

  private Presets() {}

  /** Returns the text of the preset {@code name}, or empty when there is no such preset. */
  static Optional<String> text(String name) {
    if (!NAMES.contains(name)) {
      return Optional.empty();
    }
    String resource = "/presets/" + name + ".txt";
    try (InputStream in = Presets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Cannot read preset " + name + ": resource " + resource
            + " is missing from the classpath");
      }
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read preset " + name + " from " + resource, e);
    }
  }

  /** Returns the first comment sentence of a preset, its description. */
  static String description(String text) {
    StringBuilder description = new StringBuilder();
    for (String line : text.split("\\R")) {
      if (!line.startsWith("#")) {
        break;
      }
      description.append(description.length() == 0 ? "" : " ").append(line.substring(1).strip());
    }
    return description.toString();
  }
}
