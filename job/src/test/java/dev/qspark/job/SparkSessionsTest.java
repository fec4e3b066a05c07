package dev.qspark.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {

  private static final Optional<Path> JAR = Optional.of(Paths.get("/opt/qspark/qspark-job.jar"));

  @Test
  void standaloneMasterGetsRunningJar() {
    assertThat(SparkSessions.jarForExecutors("spark://127.0.0.1:7077", Map.of(), false, JAR))
        .contains("/opt/qspark/qspark-job.jar");
    assertThat(SparkSessions.jarForExecutors("local-cluster[2,1,1024]", Map.of(), false, JAR))
        .contains("/opt/qspark/qspark-job.jar");
  }

  @Test
  void localMasterGetsNoJar() {
    assertThat(SparkSessions.jarForExecutors("local[2]", Map.of(), false, JAR)).isEmpty();
    assertThat(SparkSessions.jarForExecutors("local", Map.of(), false, JAR)).isEmpty();
    assertThat(SparkSessions.jarForExecutors(null, Map.of(), false, JAR)).isEmpty();
  }

  @Test
  void expectedMasterPrefersTheOption() {
    assertThat(SparkSessions.expectedMaster("spark://127.0.0.1:7077")).isEqualTo("spark://127.0.0.1:7077");
    assertThat(SparkSessions.isInProcess(SparkSessions.expectedMaster("local[2]"))).isTrue();
    assertThat(SparkSessions.isInProcess(SparkSessions.expectedMaster("spark://127.0.0.1:7077"))).isFalse();
  }

  @Test
  void expectedMasterWithoutOptionIsEmbedded() {
    assertThat(System.getProperty("spark.master")).as("spark.master system property in the test JVM").isNull();
    assertThat(SparkSessions.expectedMaster(null)).isEqualTo(SparkSessions.EMBEDDED_MASTER);
  }

  @Test
  void jarsSetByUserAreKept() {
    assertThat(SparkSessions.jarForExecutors("spark://127.0.0.1:7077", Map.of("spark.jars", "/x.jar"), false, JAR))
        .isEmpty();
    assertThat(SparkSessions.jarForExecutors("spark://127.0.0.1:7077", Map.of(), true, JAR)).isEmpty();
  }

  @Test
  void classesFromFolderGiveNoJar() {
    assertThat(SparkSessions.jarForExecutors("spark://127.0.0.1:7077", Map.of(), false, Optional.empty())).isEmpty();
    // Tests run from target/classes, which is a folder, not a jar.
    assertThat(SparkSessions.runningJar()).isEmpty();
  }
}
