package dev.qspark.job.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qspark sweep}: applies a list of configs (a file or a preset) to a model in one Spark job. */
@Command(
    name = "sweep",
    description = {
      "Applies a list of torchao weight-only configs to a model in one Spark job: each block of weights"
          + " is read once and quantized with every config. Writes the same folder as quantize.",
      "A tensor that a config skips or rejects is recorded in metrics and the sweep goes on; with --strict,"
          + " a rejected tensor fails the job instead."
    },
    customSynopsis = {
      "qspark sweep --model=MODEL --configs=FILE|PRESET --out=DIR [OPTIONS]",
      "   or: qspark sweep --list-presets"
    })
final class SweepCommand implements Callable<Integer> {

  /** Bound on a config list file, which is read whole. */
  static final long MAX_CONFIG_FILE_BYTES = 1 << 20;

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = "--configs",
      required = true,
      paramLabel = "FILE|PRESET",
      description = "A file with one config per line in torchao syntax ('#' comments and blank lines are"
          + " ignored), or a preset name (versions, all); --list-presets lists them. A file wins over a preset"
          + " of the same name.")
  String configs;

  // help = true turns off picocli's check of the required options, which a listing does not need.
  @SuppressWarnings("deprecation")
  @Option(names = "--list-presets", help = true, description = "List the presets with their configs and exit.")
  boolean listPresets;

  @Option(names = "--no-report", description = "Do not write DIR/report/ (the HTML and CSV report) after the job.")
  boolean noReport;

  @Mixin JobOptions options;

  @Override
  public Integer call() throws Exception {
    if (listPresets) {
      printPresets(spec.commandLine().getOut());
      return 0;
    }
    ConfigSource source = readConfigs(configs);
    return JobRunner.run(spec.commandLine(), options, ConfigListFile.parse(source.text()), source.name(), !noReport);
  }

  private record ConfigSource(String name, String text) {}

  private static ConfigSource readConfigs(String argument) throws IOException {
    Path path = new Path(argument);
    FileSystem fs = path.getFileSystem(new Configuration());
    if (fs.exists(path)) {
      long length = fs.getFileStatus(path).getLen();
      if (length > MAX_CONFIG_FILE_BYTES) {
        throw new IllegalArgumentException("Cannot read configs file " + argument + ": it is " + length
            + " bytes long, above the maximum of " + MAX_CONFIG_FILE_BYTES);
      }
      try (InputStream in = fs.open(path)) {
        return new ConfigSource("configs file " + argument, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    Optional<String> preset = Presets.text(argument);
    if (preset.isEmpty()) {
      throw new IllegalArgumentException("Cannot read configs " + argument + ": no such file, and no preset of"
          + " that name; presets: " + String.join(", ", Presets.NAMES));
    }
    return new ConfigSource("preset " + argument, preset.get());
  }

  private static void printPresets(PrintWriter out) {
    for (String name : Presets.NAMES) {
      String text = Presets.text(name).orElseThrow();
      List<String> configs = ConfigListFile.parse(text);
      out.printf("%s (%d configs): %s%n", name, configs.size(), Presets.description(text));
      configs.forEach(config -> out.println("  " + config));
    }
    out.flush();
  }
}
