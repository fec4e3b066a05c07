package dev.qspark.job;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or joins the job's SparkSession. Precedence: {@code --master}, then a master already set
 * (by {@code spark-submit}, which sets the {@code spark.master} system property, or by a running
 * session), then {@code local[*]} for an embedded run. {@code --conf} entries are applied in every case.
 * A non-local {@code --master} without {@code spark.jars} gets the running qspark jar in {@code spark.jars},
 * because executors load the job's classes from it.
 */
public final class SparkSessions {

  private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

  static final String APP_NAME = "qspark";
  static final String EMBEDDED_MASTER = "local[*]";
  static final String JARS = "spark.jars";

  /** Spark's executor heartbeat interval, whose default is 10 s; heartbeats carry progress within a task. */
  static final String HEARTBEAT_INTERVAL = "spark.executor.heartbeatInterval";

  /** The heartbeat interval of an embedded run, unless set: progress lines move this often within a task. */
  static final String EMBEDDED_HEARTBEAT_INTERVAL = "2s";

  private SparkSessions() {}

  /**
   * Returns the master a session would get from {@code --master}, the {@code spark.master} system
   * property or the embedded default; a running session's master is not looked at.
   */
  public static String expectedMaster(String master) {
    return master != null ? master : new SparkConf().get("spark.master", EMBEDDED_MASTER);
  }

  public static SparkSession getOrCreate(String master, Map<String, String> conf) {
    SparkSession.Builder builder = SparkSession.builder().appName(APP_NAME);
    String effectiveMaster = master;
    if (master == null && !new SparkConf().contains("spark.master") && SparkSession.getActiveSession().isEmpty()) {
      effectiveMaster = EMBEDDED_MASTER;
    }
    if (effectiveMaster != null) {
      builder.master(effectiveMaster);
      if (isInProcess(effectiveMaster) && !conf.containsKey(HEARTBEAT_INTERVAL)
          && !new SparkConf().contains(HEARTBEAT_INTERVAL)) {
        builder.config(HEARTBEAT_INTERVAL, EMBEDDED_HEARTBEAT_INTERVAL);
      }
    }
    conf.forEach(builder::config);
    addJarForExecutors(builder, master, conf);
    return builder.getOrCreate();
  }

  /**
   * Sets {@code spark.jars} on {@code builder} to the running qspark jar when {@link #jarForExecutors}
   * returns one.
   */
  public static void addJarForExecutors(SparkSession.Builder builder, String master, Map<String, String> conf) {
    Optional<String> jar = jarForExecutors(master, conf, new SparkConf().contains(JARS), runningJar());
    jar.ifPresent(path -> {
      LOG.info("Adding {} to {} so that executors of {} can load qspark's classes", path, JARS, master);
      builder.config(JARS, path);
    });
  }

  /**
   * Returns the jar to put in {@code spark.jars}: the running jar when {@code master} runs executors in
   * other JVMs and neither {@code conf} nor the system properties set {@code spark.jars}.
   *
   * @param master the {@code --master} option, or null when none was given
   * @param jarsAlreadySet whether {@code spark.jars} is set outside {@code conf}, as spark-submit does
   * @param runningJar the jar qspark's classes were loaded from, or empty when they come from a folder
   */
  static Optional<String> jarForExecutors(
      String master, Map<String, String> conf, boolean jarsAlreadySet, Optional<Path> runningJar) {
    if (master == null || isInProcess(master) || conf.containsKey(JARS) || jarsAlreadySet) {
      return Optional.empty();
    }
    return runningJar.map(Path::toString);
  }

  /**
   * Turns off the logs that print a failed task's stack trace when {@code master} runs the tasks in
   * this JVM: Spark's executor and its task set manager each log it, and a read-only command reports
   * the failure in one line from the driver's exception instead.
   */
  public static void hideTaskFailureLogs(String master) {
    if (isInProcess(expectedMaster(master))) {
      Configurator.setLevel("org.apache.spark.executor.Executor", Level.OFF);
      Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", Level.OFF);
    }
  }

  /** Returns true for masters whose executors run inside the driver's JVM. */
  public static boolean isInProcess(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  /** Returns the jar file this class was loaded from, or empty when it was loaded from a folder. */
  static Optional<Path> runningJar() {
    CodeSource source = SparkSessions.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    try {
      Path path = Paths.get(source.getLocation().toURI());
      return path.toString().endsWith(".jar") ? Optional.of(path) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      LOG.warn("Cannot find the running qspark jar from {}; set {} for executors by hand", source.getLocation(),
          JARS, e);
      return Optional.empty();
    }
  }
}
