package dev.qspark.job;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates or joins the job's SparkSession. Precedence: {@code --master}, then a master already set
 * (by {@code spark-submit}, which sets the {@code spark.master} system property, or by a running
 * session), then {@code local[*]} for an embedded run. {@code --conf} entries are applied in every case.
 */
public final class SparkSessions {

  static final String APP_NAME = "qspark";
  static final String EMBEDDED_MASTER = "local[*]";

  private SparkSessions() {}

  public static SparkSession getOrCreate(String master, Map<String, String> conf) {
    SparkSession.Builder builder = SparkSession.builder().appName(APP_NAME);
    if (master != null) {
      builder.master(master);
    } else if (!new SparkConf().contains("spark.master") && SparkSession.getActiveSession().isEmpty()) {
      builder.master(EMBEDDED_MASTER);
    }
    conf.forEach(builder::config);
    return builder.getOrCreate();
  }
}
