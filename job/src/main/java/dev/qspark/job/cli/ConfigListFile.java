package dev.qspark.job.cli;

import java.util.ArrayList;
import java.util.List;

/** The text of a config list: one config per line in torchao syntax; {@code #} comments and blank lines are ignored. */
final class ConfigListFile {

  private ConfigListFile() {}

  /** Returns the configs of {@code text}, in order, without comments. */
  static List<String> parse(String text) {
    List<String> configs = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String config = stripComment(line).strip();
      if (!config.isEmpty()) {
        configs.add(config);
      }
    }
    return configs;
  }

  // A '#' inside a quoted string, such as int4_packing_format='#', is part of the config.
  private static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#') {
        return line.substring(0, i);
      }
    }
    return line;
  }
}
