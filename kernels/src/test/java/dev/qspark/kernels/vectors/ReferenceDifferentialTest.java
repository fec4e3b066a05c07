package dev.qspark.kernels.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.KernelPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares the kernels with the numpy reference model on inputs the shipped vectors do not have.
 *
 * <p>Runs the reference's {@code make_vectors.py} with another seed and odd shapes into a temporary
 * folder, then checks every file there on both kernel paths like {@link VectorCasesTest}. The shapes include
 * {@code 3x80} and {@code 2x24}, whose row length 32 does not divide: the reference raises there,
 * so grouped configs must reject them (Int4 formats skip them). The reference lives in the shared
 * folder named by the system property {@code qspark.shared.dir} (surefire sets it), else
 * {@code ../../shared}; it needs python3 with numpy.
 */
class ReferenceDifferentialTest {

  /** Seed of the reference's weight generator, unlike the one the test-resource vectors were made with. */
  private static final String SEED_BASE = "7100";

  /** Shapes {@code NxK}: odd row counts, one row, K a multiple of 32, and K not divisible by 32. */
  private static final String SHAPES = "5x96,7x160,3x80,1x32,2x24,9x256,6x48";

  /** The reference writes about 80 files in a few seconds on 2 cores; this bounds a hung interpreter. */
  private static final long REFERENCE_TIMEOUT_SECONDS = 120;

  @TempDir
  static Path generated;

  @TestFactory
  Stream<DynamicTest> referenceMatchesOnOddShapes() throws IOException, InterruptedException {
    Path script = sharedFolder().resolve("reference").resolve("make_vectors.py");
    assertThat(Files.isRegularFile(script)).as("reference script %s exists", script).isTrue();

    Path log = generated.resolve("make_vectors.log");
    Path vectors = generated.resolve("vectors");
    ProcessBuilder builder = new ProcessBuilder("python3", script.toString(), vectors.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("VECTOR_SEED_BASE", SEED_BASE);
    builder.environment().put("VECTOR_SHAPES", SHAPES);
    long start = System.nanoTime();
    Process process = builder.start();
    boolean finished = process.waitFor(REFERENCE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as("make_vectors.py finished within %d s", REFERENCE_TIMEOUT_SECONDS).isTrue();
    assertThat(process.exitValue()).as("make_vectors.py exit status; its output: %s", Files.readString(log))
        .isZero();
    System.out.printf("make_vectors.py wrote %s in %.1f s (seed %s, shapes %s)%n",
        vectors, (System.nanoTime() - start) / 1e9, SEED_BASE, SHAPES);

    List<Path> files = VectorFile.list(vectors);
    assertThat(files).as("files written by make_vectors.py").isNotEmpty();
    return Stream.of(KernelPath.values()).flatMap(path -> files.stream().map(file -> DynamicTest.dynamicTest(
        path.name().toLowerCase() + " " + file.getFileName(), () -> VectorCasesTest.checkFile(file, path))));
  }

  private static Path sharedFolder() {
    String configured = System.getProperty("qspark.shared.dir");
    return Path.of(configured != null ? configured : "../../shared").toAbsolutePath().normalize();
  }
}
