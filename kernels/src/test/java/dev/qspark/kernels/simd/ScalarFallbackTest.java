package dev.qspark.kernels.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link ScalarOnlyMain} in a child JVM and checks which kernel path it picks and that the
 * scalar path loads no Vector API class ({@code -verbose:class} lists every class loaded).
 */
class ScalarFallbackTest {

  private static final long CHILD_TIMEOUT_SECONDS = 60;

  @TempDir
  Path tempDir;

  @Test
  void withoutVectorModuleRunsScalar() throws Exception {
    String output = runChild(List.of());

    assertThat(output).contains("scalar path, because module jdk.incubator.vector is not loaded");
    assertThat(output).contains("selected path SCALAR");
    assertThat(output).doesNotContain("jdk.incubator.vector.");
    assertThat(output).doesNotContain("dev.qspark.kernels.simd.vector.");
  }

  @Test
  void scalarPropertyForcesScalar() throws Exception {
    String output = runChild(List.of("--add-modules", "jdk.incubator.vector", "-Dqspark.kernels.scalar=true"));

    assertThat(output).contains("scalar path, forced by -Dqspark.kernels.scalar=true");
    assertThat(output).contains("selected path SCALAR");
    assertThat(output).doesNotContain("dev.qspark.kernels.simd.vector.");
  }

  @Test
  void withVectorModuleRunsVector() throws Exception {
    String output = runChild(List.of("--add-modules", "jdk.incubator.vector"));

    assertThat(output).contains("Quantization kernels: Vector API path");
    assertThat(output).contains("selected path VECTOR");
    assertThat(output).contains("dev.qspark.kernels.simd.vector.VectorAffineBlockKernel");
  }

  private String runChild(List<String> jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-verbose:class");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ScalarOnlyMain.class.getName());
    Path log = tempDir.resolve("child.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("child JVM finished within %d s", CHILD_TIMEOUT_SECONDS).isTrue();
    assertThat(process.exitValue()).as("child JVM exit status; output:%n%s", output).isZero();
    return output;
  }
}
