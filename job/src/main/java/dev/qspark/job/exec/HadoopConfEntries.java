package dev.qspark.job.exec;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Ships a Hadoop {@link Configuration}, which is not serializable, to executors as its entries, so that
 * tasks open files with the driver's file system settings (s3a keys, hdfs addresses).
 */
public final class HadoopConfEntries {

  private HadoopConfEntries() {}

  /** Returns every entry of {@code conf}, with variables expanded. */
  public static HashMap<String, String> capture(Configuration conf) {
    HashMap<String, String> entries = new HashMap<>();
    for (Map.Entry<String, String> entry : conf) {
      entries.put(entry.getKey(), entry.getValue());
    }
    return entries;
  }

  /** Builds a configuration with exactly {@code entries}, without loading the default resources. */
  public static Configuration rebuild(Map<String, String> entries) {
    Configuration conf = new Configuration(false);
    entries.forEach(conf::set);
    return conf;
  }
}
