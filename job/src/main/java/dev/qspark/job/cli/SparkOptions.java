package dev.qspark.job.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Option;

/** The Spark options of the commands that start a Spark session, as a picocli mixin: the master and settings. */
final class SparkOptions {

  private static final String SPARK_HADOOP_PREFIX = "spark.hadoop.";

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

  /**
   * Returns the Hadoop configuration Spark would build from {@code sparkConf} and the system
   * properties: the local one plus their {@code spark.hadoop.*} entries. Commands check paths with it
   * before Spark starts, so that a wrong path fails in a second rather than after Spark's start-up.
   */
  static Configuration hadoopConf(Map<String, String> sparkConf) {
    Configuration hadoopConf = new Configuration();
    Map<String, String> entries = new LinkedHashMap<>();
    System.getProperties().stringPropertyNames().forEach(key -> entries.put(key, System.getProperty(key)));
    entries.putAll(sparkConf);
    entries.forEach((key, value) -> {
      if (key.startsWith(SPARK_HADOOP_PREFIX)) {
        hadoopConf.set(key.substring(SPARK_HADOOP_PREFIX.length()), value);
      }
    });
    return hadoopConf;
  }
}
