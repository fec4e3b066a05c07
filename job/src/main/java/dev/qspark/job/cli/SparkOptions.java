package dev.qspark.job.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The Spark options of the commands that start a Spark session, as a picocli mixin: the master and settings. */
final class SparkOptions {

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master (default: the one spark-submit set, else local[*]).")
  String master;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "A Spark setting; repeat for several.")
  Map<String, String> conf = new LinkedHashMap<>();
}
