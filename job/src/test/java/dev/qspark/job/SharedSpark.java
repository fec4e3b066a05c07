package dev.qspark.job;

import org.apache.spark.sql.SparkSession;

/** The test SparkSession: local[2], UI off, every address on 127.0.0.1. */
public final class SharedSpark {

  private SharedSpark() {}

  public static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("qspark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
