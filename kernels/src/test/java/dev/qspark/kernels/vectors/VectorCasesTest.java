package dev.qspark.kernels.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the kernels against torchao's test vectors, one dynamic test per vector file.
 *
 * <p>The folder comes from the system property {@code qspark.vectors.dir} (surefire sets it to the
 * test-resources copy); {@code -Dqspark.vectors.dir=/other/dir} checks another set.
 */
class VectorCasesTest {

  @TestFactory
  Stream<DynamicTest> vectorFilesMatch() {
    Path folder = Path.of(System.getProperty("qspark.vectors.dir", "src/test/resources/vectors"));
    assertThat(Files.isDirectory(folder)).as("vector folder %s exists", folder.toAbsolutePath()).isTrue();
    List<Path> files = VectorFileChecker.vectorFiles(folder);
    assertThat(files).as("vector files in %s", folder.toAbsolutePath()).isNotEmpty();
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> checkFile(file)));
  }

  static void checkFile(Path file) {
    VectorFileChecker.Summary summary = VectorFileChecker.check(file);
    Assumptions.assumeFalse(summary.pending(), () -> "pending: no quantizer for " + summary.config() + " yet");
    assertThat(summary.matched()).as("cases matched in %s", summary.file()).isEqualTo(summary.cases());
  }
}
