package dev.qspark.job.report;

import org.apache.spark.sql.SparkSession;

/** The local[2] SparkSession the report tests share, with the UI off and every address on 127.0.0.1. */
final class ReportTestSpark {

  private ReportTestSpark() {}

  static SparkSession start(String appName) {
    return SparkSession.builder()
        .appName(appName)
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }

  static java.nio.file.Path sharedDir() {
    String dir = System.getProperty("qspark.shared.dir");
    if (dir == null) {
      throw new IllegalStateException("Cannot find the test data: system property qspark.shared.dir is not set;"
          + " run the tests through Maven, which sets it to ../shared");
    }
    return java.nio.file.Path.of(dir);
  }
}
