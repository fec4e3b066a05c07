package dev.qspark.job.cluster;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * A Spark home: a folder with {@code jars/} holding Spark and its dependencies and, optionally,
 * {@code conf/}. A Spark distribution is one; the build makes another at {@code job/target/spark-home}
 * from the project's Maven dependencies. Standalone workers need one to start executors, because they
 * build each executor's classpath as {@code $SPARK_HOME/conf:$SPARK_HOME/jars/*}.
 */
public record SparkHome(Path path) {

  /** Name of the Spark home the build makes beside the job jar or {@code classes/} folder. */
  public static final String BUILD_FOLDER = "spark-home";

  /**
   * Returns the Spark home to use: {@code explicit} when given, else {@code $SPARK_HOME}, else the
   * build's {@code spark-home} beside the job jar (or beside {@code target/classes} in tests).
   *
   * @throws IllegalArgumentException when the chosen folder has no {@code jars/} folder
   */
  public static SparkHome resolve(Path explicit) {
    Path chosen = explicit;
    String source = "--spark-home";
    if (chosen == null) {
      String environment = System.getenv("SPARK_HOME");
      if (environment != null && !environment.isBlank()) {
        chosen = Path.of(environment);
        source = "SPARK_HOME";
      }
    }
    if (chosen == null) {
      chosen = buildSparkHome().orElseThrow(() -> new IllegalArgumentException(
          "Cannot find a Spark home: no --spark-home, no SPARK_HOME, and no " + BUILD_FOLDER
              + " beside the qspark classes; build it with 'mvn -pl job -am package -DskipTests'"));
      source = "the build";
    }
    SparkHome home = new SparkHome(chosen.toAbsolutePath().normalize());
    if (!Files.isDirectory(home.jars())) {
      throw new IllegalArgumentException("Cannot use Spark home " + home.path() + " (from " + source
          + "): it has no jars/ folder; point --spark-home or SPARK_HOME at a Spark 4.2 distribution or at"
          + " job/target/" + BUILD_FOLDER);
    }
    return home;
  }

  /** The folder of Spark's jars. */
  public Path jars() {
    return path.resolve("jars");
  }

  /** The configuration folder, on every daemon's classpath for {@code log4j2.properties}. */
  public Path conf() {
    return path.resolve("conf");
  }

  /** The classpath of a Spark daemon, with the wildcard the JVM expands: {@code conf:jars/*}. */
  public String daemonClasspath() {
    return conf() + File.pathSeparator + jars().resolve("*");
  }

  private static Optional<Path> buildSparkHome() {
    CodeSource source = SparkHome.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    Path codeSource;
    try {
      codeSource = Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    // The job jar lies in job/target and the compiled classes in job/target/classes.
    Path target = codeSource.getParent();
    if (target == null) {
      return Optional.empty();
    }
    Path candidate = target.resolve(BUILD_FOLDER);
    return Files.isDirectory(candidate) ? Optional.of(candidate) : Optional.empty();
  }
}
