package dev.qspark.kernels.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks one vector file against the kernels, bit for bit.
 *
 * <p>For every case: a case with {@code error} must be rejected (by the constructor, by
 * {@code applicability} or by {@code quantize}); any other case is quantized as a whole tensor and
 * in blocks of 1 and 2 rows, and each result, rebuilt into torchao's layout, must match qdata,
 * the scale and zero point bits, the packed bytes, the shards and the dequantized bits.
 */
final class VectorFileChecker {

  /** Block heights every case is also quantized with; the whole tensor is checked besides. */
  private static final int[] BLOCK_ROWS = {1, 2};

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The outcome of one file.
   *
   * @param pending true when the file's config has no quantizer yet and was not checked
   */
  record Summary(String file, String config, int cases, int matched, int rejected, boolean pending) {}

  private VectorFileChecker() {}

  /** Lists the vector files of a folder: every {@code *.json} except {@code index.json}, sorted. */
  static List<Path> vectorFiles(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(path -> path.getFileName().toString().endsWith(".json"))
          .filter(path -> !path.getFileName().toString().equals("index.json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list vector files in " + folder, e);
    }
  }

  /** Checks every case of the file, failing on the first mismatch; prints a one-line summary. */
  static Summary check(Path file) {
    JsonNode root = read(file);
    String config = root.path("config").asText();
    JsonNode kwargs = root.path("kwargs");
    JsonNode cases = root.path("cases");
    String name = file.getFileName().toString();
    if (VectorQuantizerFactory.isPending(config)) {
      System.out.printf("pending  %-100s %d cases (%s: formats not merged yet)%n", name, cases.size(), config);
      return new Summary(name, config, cases.size(), 0, 0, true);
    }
    assertThat(cases.size()).as("%s has no cases", name).isPositive();

    int matched = 0;
    int rejected = 0;
    for (int index = 0; index < cases.size(); index++) {
      JsonNode testCase = cases.get(index);
      String label = String.format("%s case %d (%s %s)", name, index, testCase.path("shape"), testCase.path("dtype").asText());
      if (testCase.has("error")) {
        assertRejected(config, kwargs, testCase, label);
        rejected++;
      } else {
        checkCase(config, kwargs, testCase, label);
      }
      matched++;
    }
    System.out.printf("matched  %-100s %d of %d cases (%d rejected as expected)%n", name, matched, cases.size(), rejected);
    return new Summary(name, config, cases.size(), matched, rejected, false);
  }

  private static void assertRejected(String config, JsonNode kwargs, JsonNode testCase, String label) {
    WeightQuantizer quantizer;
    try {
      quantizer = VectorQuantizerFactory.create(config, kwargs);
    } catch (IllegalArgumentException expected) {
      return;
    }
    CaseInput input = CaseInput.of(testCase);
    Applicability applicability = quantizer.applicability(input.rows(), input.inFeatures(), input.dtype());
    if (!applicability.isQuantized()) {
      return;
    }
    try {
      quantizer.quantize(input.wholeTensor(), TensorRange.of(input.values()));
    } catch (IllegalArgumentException expected) {
      return;
    }
    throw new AssertionError(label + ": torchao rejects this case (" + testCase.path("error").asText()
        + ") but the quantizer accepted it");
  }

  private static void checkCase(String config, JsonNode kwargs, JsonNode testCase, String label) {
    WeightQuantizer quantizer = VectorQuantizerFactory.create(config, kwargs);
    CaseInput input = CaseInput.of(testCase);
    Applicability applicability = quantizer.applicability(input.rows(), input.inFeatures(), input.dtype());
    assertThat(applicability.status()).as("%s: applicability (%s)", label, applicability.reason())
        .isEqualTo(Applicability.Status.QUANTIZE);

    TensorRange range = quantizer.needsTensorRange() ? TensorRange.of(input.values()) : null;
    QuantizedBlock whole = quantizer.quantize(input.wholeTensor(), range);
    ExpectedCase expected = new ExpectedCase(config, testCase, input);
    expected.assertMatches(whole, quantizer.dequantize(whole, input.dtype()), label + " whole tensor");

    List<Integer> storedBytesPerRow = VectorQuantizerFactory.storedBytesPerRow(config, kwargs, input.inFeatures());
    for (int blockRows : BLOCK_ROWS) {
      List<QuantizedBlock> blocks = new ArrayList<>();
      float[] dequantized = new float[input.values().length];
      for (int rowStart = 0; rowStart < input.rows(); rowStart += blockRows) {
        int rowCount = Math.min(blockRows, input.rows() - rowStart);
        WeightBlock block = new WeightBlock(
            BlockAssembly.rows(input.values(), input.inFeatures(), rowStart, rowCount),
            rowStart, rowCount, input.rows(), input.inFeatures(), input.dtype());
        QuantizedBlock quantized = quantizer.quantize(block, range);
        blocks.add(quantized);
        float[] part = quantizer.dequantize(quantized, input.dtype());
        System.arraycopy(part, 0, dequantized, rowStart * input.inFeatures(), part.length);
      }
      QuantizedBlock rebuilt = BlockAssembly.assemble(blocks, storedBytesPerRow, quantizer.needsTensorRange());
      expected.assertMatches(rebuilt, dequantized, label + " in blocks of " + blockRows + " rows");
    }
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read vector file " + file, e);
    }
  }

  /** A case's input weight. */
  record CaseInput(int rows, int inFeatures, FloatDtype dtype, float[] values) {

    static CaseInput of(JsonNode testCase) {
      int rows = testCase.path("shape").get(0).asInt();
      int inFeatures = testCase.path("shape").get(1).asInt();
      FloatDtype dtype = FloatDtype.fromTorchName(testCase.path("dtype").asText());
      float[] values = null;
      if (testCase.has("input_f32_hex")) {
        values = Bits.floats(testCase.path("input_f32_hex"));
      } else {
        // Error cases carry no input; any weight of the shape shows whether the quantizer rejects it.
        values = new float[rows * inFeatures];
      }
      return new CaseInput(rows, inFeatures, dtype, values);
    }

    WeightBlock wholeTensor() {
      return WeightBlock.wholeTensor(values, rows, inFeatures, dtype);
    }
  }

  /** Conversions between the vectors' hex and JSON lists and Java arrays. */
  static final class Bits {

    private Bits() {}

    static float[] floats(JsonNode hexList) {
      float[] out = new float[hexList.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(hexList.get(i).asText(), 16));
      }
      return out;
    }

    static int[] floatBits(JsonNode hexList) {
      int[] out = new int[hexList.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = Integer.parseUnsignedInt(hexList.get(i).asText(), 16);
      }
      return out;
    }

    static int[] floatBits(float[] values) {
      int[] out = new int[values.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = Float.floatToRawIntBits(values[i]);
      }
      return out;
    }

    /** Flattens a nested JSON list of integers, row-major. */
    static int[] flatInts(JsonNode nested) {
      List<Integer> out = new ArrayList<>();
      flatten(nested, out);
      return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static byte[] hex(String text) {
      return HexFormat.of().parseHex(text);
    }

    private static void flatten(JsonNode node, List<Integer> out) {
      if (node.isArray()) {
        for (JsonNode child : node) {
          flatten(child, out);
        }
      } else {
        out.add(node.asInt());
      }
    }
  }
}
