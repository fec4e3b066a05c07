package dev.qspark.job.cli;

import dev.qspark.job.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Starts the SparkSession of the report and plan commands. Runs on the driver.
 *
 * <p>Under spark-submit, where {@code spark.master} is set, the existing configuration is used.
 * Otherwise Spark runs embedded on {@code master} with its web UI off and every address on
 * 127.0.0.1, because reading a sweep needs no cluster.
 */
final class ReportSparkSession {

  static final String MASTER_DEFAULT = "local[*]";

  private ReportSparkSession() {}

  /** Whether a session already runs in this JVM (a test's, or one started by spark-submit's caller); it is left running. */
  static boolean exists() {
    return SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
  }

  static SparkSession start(String appName, String master) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (master != null) {
      builder.master(master);
    } else if (System.getProperty("spark.master") == null) {
      builder.master(MASTER_DEFAULT);
    }
    if (System.getProperty("spark.master") == null) {
      builder.config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    SparkSessions.addJarForExecutors(builder, master, Map.of());
    SparkSessions.hideTaskFailureLogs(master);
    return builder.getOrCreate();
  }
}
