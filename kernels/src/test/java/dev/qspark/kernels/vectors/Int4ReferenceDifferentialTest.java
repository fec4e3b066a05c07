package dev.qspark.kernels.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.vectors.SafetensorsTestWriter.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the Int4 formats bit for bit with the numpy reference model of torchao on seeded random
 * weights of odd shapes: out_features not a multiple of 8, and in_features that torchao pads to
 * 1024 or 2048. The reference runs as {@code python3 reference/torchao_ref.py} from the folder
 * named by the system property {@code qspark.shared.dir} (default {@code ../../shared}). Its results
 * become vector cases that {@link VectorCaseChecker} checks on both kernel paths, through the config
 * parser like the shipped vectors.
 */
class Int4ReferenceDifferentialTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 20_260_821L;
  private static final int[][] SHAPES = {{5, 96}, {9, 224}, {3, 1088}, {13, 64}};
  private static final long REFERENCE_TIMEOUT_SECONDS = 120;

  @TempDir
  static Path tempDir;

  private static Path weightsFile;
  private static final Map<String, Tensor> TENSORS = new LinkedHashMap<>();

  @BeforeAll
  static void writeWeights() throws IOException {
    Random random = new Random(SEED);
    List<Tensor> tensors = new ArrayList<>();
    for (int[] shape : SHAPES) {
      for (FloatDtype dtype : FloatDtype.values()) {
        String name = "w" + shape[0] + "x" + shape[1] + "_" + dtype.torchName();
        Tensor tensor = new Tensor(name, shape[0], shape[1], dtype, randomWeight(random, shape[0], shape[1], dtype));
        tensors.add(tensor);
        TENSORS.put(name, tensor);
      }
    }
    weightsFile = tempDir.resolve("weights.safetensors");
    SafetensorsTestWriter.write(weightsFile, tensors);
  }

  /**
   * Gaussian values (standard deviation 0.02) with the hard cases of the torchao vectors: an
   * all-zero group, a constant group, a 40.0 outlier, a negative-only group, values near 1e-7 and
   * exact .5 ties after scaling.
   */
  private static float[] randomWeight(Random random, int rows, int columns, FloatDtype dtype) {
    float[] values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 0.02);
    }
    int group = 32;
    for (int i = 0; i < group; i++) {
      values[i] = 0f;
      values[group + i] = 0.0137f;
      values[columns + group + i] = -Math.abs(values[columns + group + i]) - 0.001f;
      values[2 * columns + i] = (float) (random.nextGaussian() * 1e-7);
      values[(rows - 1) * columns + group + i] = (i - group / 2) / 8f;
    }
    values[columns + 3] = 40f;
    for (int i = 0; i < values.length; i++) {
      values[i] = dtype.round(values[i]);
    }
    return values;
  }

  static Stream<Arguments> referenceRuns() {
    return Stream.of(
        Arguments.of("int4_v2_plain", 32, "0.15", "cpu"),
        Arguments.of("int4_v2_plain", 32, "0.15", "cuda"),
        Arguments.of("int4_v2_plain", 64, "0.18", "cuda"),
        Arguments.of("int4_v2_tile_packed_to_4d", 32, "0.15", "cuda"),
        Arguments.of("int4_v2_tile_packed_to_4d", 32, "0.18", "cuda"),
        Arguments.of("int4_v2_tile_packed_to_4d", 64, "0.17", "cuda"),
        Arguments.of("int4_v1_tinygemm", 32, "0.15", "cuda"),
        Arguments.of("int4_v1_tinygemm", 64, "0.15", "cuda"));
  }

  @ParameterizedTest(name = "{0} group_size {1} torchao {2} {3}")
  @MethodSource("referenceRuns")
  void matchesReference(String config, int groupSize, String release, String device) throws Exception {
    List<Tensor> selected = TENSORS.values().stream()
        .filter(tensor -> tensor.columns() % groupSize == 0)
        .filter(tensor -> config.equals("int4_v2_plain") || tensor.dtype() == FloatDtype.BFLOAT16)
        .toList();
    assertThat(selected).as("tensors compared").hasSizeGreaterThanOrEqualTo(2);
    JsonNode results = runReference(config, groupSize, release, device, selected);

    ObjectNode kwargs = JSON.createObjectNode().put("group_size", groupSize).put("device", device)
        .put("profile", release);
    ArrayNode cases = JSON.createArrayNode();
    for (Tensor tensor : selected) {
      JsonNode expected = results.get(tensor.name());
      assertThat(expected).as("reference result for %s", tensor.name()).isNotNull();
      cases.add(asVectorCase(tensor, expected));
    }
    VectorFile file = new VectorFile("torchao_ref.py " + config + " " + kwargs, config, kwargs, cases);
    for (KernelPath path : KernelPath.values()) {
      VectorCaseChecker.Summary summary = VectorCaseChecker.check(file, path);
      assertThat(summary.outcomes()).as("outcomes on the %s path", path)
          .containsExactly(Map.entry(VectorCaseChecker.Outcome.MATCHED, selected.size()));
    }
  }

  /** Adds the input the reference was given to its result, making it a case of a vector file. */
  private static JsonNode asVectorCase(Tensor tensor, JsonNode expected) {
    ObjectNode testCase = expected.deepCopy();
    testCase.putArray("shape").add(tensor.rows()).add(tensor.columns());
    testCase.put("dtype", tensor.dtype().torchName());
    ArrayNode input = testCase.putArray("input_f32_hex");
    for (float value : tensor.values()) {
      input.add(String.format("%08x", Float.floatToRawIntBits(value)));
    }
    return testCase;
  }

  private static JsonNode runReference(
      String config, int groupSize, String release, String device, List<Tensor> tensors) throws Exception {
    Path script = sharedDir().resolve("reference").resolve("torchao_ref.py");
    assertThat(script).as("numpy reference script").isRegularFile();
    Path output = Files.createTempFile(tempDir, config, ".json");
    List<String> command = new ArrayList<>(List.of(
        "python3", script.toString(), weightsFile.toString(), config, output.toString(),
        "--kw", "{\"group_size\": " + groupSize + "}", "--device", device, "--profile", release));
    for (Tensor tensor : tensors) {
      command.add("--tensor");
      command.add(tensor.name());
    }
    Path log = tempDir.resolve("reference.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(REFERENCE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as("numpy reference finished within %d s", REFERENCE_TIMEOUT_SECONDS).isTrue();
    assertThat(process.exitValue())
        .as("numpy reference exit status for %s; output:%n%s", command, Files.readString(log, StandardCharsets.UTF_8))
        .isZero();
    return JSON.readTree(output.toFile());
  }

  private static Path sharedDir() {
    return Path.of(System.getProperty("qspark.shared.dir", "../../shared"));
  }
}
