package dev.qspark.kernels.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qspark.kernels.Applicability.Status;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.vectors.Int4CaseChecker.Int4Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the Int4 formats (plain, tile_packed_to_4d, version 1 tinygemm) against every case of the
 * torchao test vectors in the folder named by the system property {@code qspark.vectors.dir}.
 */
class Int4VectorCasesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Path vectorsDir() {
    return Path.of(System.getProperty("qspark.vectors.dir", "src/test/resources/vectors"));
  }

  @TestFactory
  Stream<DynamicTest> int4VectorFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(vectorsDir())) {
      files = listing.filter(Int4VectorCasesTest::isInt4VectorFile).sorted().toList();
    }
    for (Int4Config config : Int4Config.values()) {
      assertThat(files)
          .as("vector files of %s in %s", config.referenceName, vectorsDir())
          .anyMatch(file -> file.getFileName().toString().startsWith(config.referenceName + "__"));
    }
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> checkFile(file)));
  }

  private static boolean isInt4VectorFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".json")
        && Arrays.stream(Int4Config.values()).anyMatch(config -> name.startsWith(config.referenceName + "__"));
  }

  private static void checkFile(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    Int4Config config = Int4Config.fromReferenceName(root.get("config").asText());
    JsonNode kwargs = root.get("kwargs");
    Int4CaseChecker checker = new Int4CaseChecker(
        config,
        kwargs.get("group_size").asInt(),
        TorchaoRelease.parse(kwargs.get("profile").asText()),
        DeviceArithmetic.parse(kwargs.get("device").asText()));

    JsonNode cases = root.get("cases");
    int matched = 0;
    int rejected = 0;
    int skipped = 0;
    for (int index = 0; index < cases.size(); index++) {
      JsonNode testCase = cases.get(index);
      int outFeatures = testCase.get("shape").get(0).asInt();
      int inFeatures = testCase.get("shape").get(1).asInt();
      FloatDtype dtype = FloatDtype.fromTorchName(testCase.get("dtype").asText());
      String label = String.format("%s case %d (%dx%d %s)",
          file.getFileName(), index, outFeatures, inFeatures, dtype.torchName());
      if (testCase.has("error")) {
        float[] input = new float[outFeatures * inFeatures];
        if (checker.checkNotQuantized(label, outFeatures, inFeatures, dtype, input) == Status.SKIP) {
          skipped++;
        } else {
          rejected++;
        }
      } else {
        float[] input = Int4CaseChecker.floatsFromHex(testCase.get("input_f32_hex"));
        checker.checkQuantized(label, outFeatures, inFeatures, dtype, input, testCase);
        matched++;
      }
    }
    System.out.printf("%s: %d of %d cases matched, %d rejected and %d skipped as torchao does%n",
        file.getFileName(), matched, cases.size(), rejected, skipped);
    assertThat(matched + rejected + skipped).as("%s: cases checked", file.getFileName()).isEqualTo(cases.size());
  }
}
