package dev.qspark.kernels.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.KernelPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks every torchao vector file on both kernel paths, one dynamic test per file and path, with
 * {@link VectorCaseChecker}: no case is skipped.
 *
 * <p>The folder comes from the system property {@code qspark.vectors.dir} (surefire sets it to the
 * test-resources copy); {@code -Dqspark.vectors.dir=/other/dir} checks another set.
 */
class VectorCasesTest {

  @TestFactory
  Stream<DynamicContainer> vectorFilesMatchOnEveryPath() {
    assertThat(KernelPath.VECTOR.isAvailable())
        .as("the Vector API module is loaded (surefire passes --add-modules jdk.incubator.vector)")
        .isTrue();
    Path folder = VectorFile.configuredFolder();
    assertThat(Files.isDirectory(folder)).as("vector folder %s exists", folder.toAbsolutePath()).isTrue();
    List<Path> files = VectorFile.list(folder);
    assertThat(files).as("vector files in %s", folder.toAbsolutePath()).isNotEmpty();
    return Stream.of(KernelPath.values()).map(path -> DynamicContainer.dynamicContainer(path.name().toLowerCase(),
        files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
            () -> checkFile(file, path)))));
  }

  static void checkFile(Path file, KernelPath path) {
    VectorFile vectors = VectorFile.read(file);
    assertThat(vectors.cases().size()).as("cases in %s", file).isPositive();
    VectorCaseChecker.Summary summary = VectorCaseChecker.check(vectors, path);
    assertThat(summary.checked()).as("cases checked in %s", summary.file()).isEqualTo(summary.cases());
  }
}
