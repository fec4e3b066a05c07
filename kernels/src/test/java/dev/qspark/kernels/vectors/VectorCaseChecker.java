package dev.qspark.kernels.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks vector cases through the whole kernel stack: the config in torchao's syntax is parsed by
 * {@link QuantConfigs#parse} with the file's release and device, {@link Quantizers#forConfig} builds
 * the quantizer on a {@link KernelPath}, and its output must match torchao bit for bit.
 *
 * <p>A case with {@code error} must be rejected at one of the stages: the parser, the quantizer's
 * constructor, {@code applicability} or {@code quantize}. The one accepted skip is torchao's own:
 * Int4WeightOnlyConfig leaves a weight unquantized when the group size does not divide
 * in_features, where the reference raises. Any other case is quantized as a whole weight and in
 * blocks of 1 and 2 rows; each result, rebuilt into torchao's layout, must match every stored
 * tensor and the dequantized values.
 */
final class VectorCaseChecker {

  /** Block heights every case is quantized with besides the whole weight. */
  private static final int[] BLOCK_ROWS = {1, 2};

  /** Where an error case was rejected, or that it was skipped as torchao skips it. */
  enum Outcome {
    MATCHED,
    REJECTED_BY_PARSER,
    REJECTED_BY_QUANTIZER,
    REJECTED_BY_APPLICABILITY,
    REJECTED_BY_QUANTIZE,
    SKIPPED_AS_TORCHAO_DOES
  }

  /** The outcome of one file: how many cases ended how. */
  record Summary(String file, int cases, Map<Outcome, Integer> outcomes) {

    int checked() {
      return outcomes.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private VectorCaseChecker() {}

  /** Checks every case of a file on a path, failing on the first mismatch; prints a one-line summary. */
  static Summary check(VectorFile file, KernelPath path) {
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    JsonNode cases = file.cases();
    for (int index = 0; index < cases.size(); index++) {
      JsonNode testCase = cases.get(index);
      String label = String.format("%s case %d (%s %s, %s path)", file.name(), index, testCase.path("shape"),
          testCase.path("dtype").asText(), path);
      Outcome outcome = testCase.has("error")
          ? checkRejected(file, testCase, path, label)
          : checkQuantized(file, testCase, path, label);
      outcomes.merge(outcome, 1, Integer::sum);
    }
    Summary summary = new Summary(file.name(), cases.size(), outcomes);
    String details = outcomes.entrySet().stream()
        .map(entry -> entry.getValue() + " " + entry.getKey().name().toLowerCase().replace('_', ' '))
        .collect(Collectors.joining(", "));
    System.out.printf("%-6s %-95s %d of %d cases checked: %s%n", path.name().toLowerCase(), file.name(),
        summary.checked(), cases.size(), details);
    return summary;
  }

  /** Checks a case torchao quantizes: every stored tensor, whole and in blocks, and the dequantized values. */
  static Outcome checkQuantized(VectorFile file, JsonNode testCase, KernelPath path, String label) {
    QuantConfig config = QuantConfigs.parse(file.torchaoConfig(), file.release(), file.device());
    WeightQuantizer quantizer = Quantizers.forConfig(config, path);
    int outFeatures = testCase.path("shape").get(0).asInt();
    int inFeatures = testCase.path("shape").get(1).asInt();
    FloatDtype dtype = ExpectedCase.dtype(testCase);
    float[] input = ExpectedCase.input(testCase);
    Applicability applicability = quantizer.applicability(outFeatures, inFeatures, dtype);
    if (!applicability.isQuantized()) {
      throw new AssertionError(label + ": torchao quantizes this weight, but " + config.canonical() + " returns "
          + applicability.status() + ": " + applicability.reason());
    }

    ExpectedCase expected = new ExpectedCase(testCase);
    expected.assertStorageInfo(quantizer.storageInfo(dtype, inFeatures), label);
    TensorRange range = quantizer.needsTensorRange() ? TensorRange.of(input) : null;
    TorchaoLayouts.Layout layout = TorchaoLayouts.Layout.of(file.config());
    int[] blockHeights = new int[BLOCK_ROWS.length + 1];
    blockHeights[0] = outFeatures;
    System.arraycopy(BLOCK_ROWS, 0, blockHeights, 1, BLOCK_ROWS.length);
    for (int blockRows : blockHeights) {
      List<QuantizedBlock> blocks = new ArrayList<>();
      float[] dequantized = new float[input.length];
      for (int rowStart = 0; rowStart < outFeatures; rowStart += blockRows) {
        int rowCount = Math.min(blockRows, outFeatures - rowStart);
        float[] rows = Arrays.copyOfRange(input, rowStart * inFeatures, (rowStart + rowCount) * inFeatures);
        QuantizedBlock quantized =
            quantizer.quantize(new WeightBlock(rows, rowStart, rowCount, outFeatures, inFeatures, dtype), range);
        blocks.add(quantized);
        float[] part = quantizer.dequantize(quantized, dtype);
        System.arraycopy(part, 0, dequantized, rowStart * inFeatures, part.length);
      }
      TorchaoLayouts.StoredTensors stored = TorchaoLayouts.rebuild(layout, quantizer, blocks, outFeatures, dtype);
      expected.assertMatches(stored, dequantized, label + " in blocks of " + blockRows + " rows");
    }
    return Outcome.MATCHED;
  }

  private static Outcome checkRejected(VectorFile file, JsonNode testCase, KernelPath path, String label) {
    String reason = testCase.path("error").asText();
    QuantConfig config;
    try {
      config = QuantConfigs.parse(file.torchaoConfig(), file.release(), file.device());
    } catch (IllegalArgumentException expected) {
      return Outcome.REJECTED_BY_PARSER;
    }
    WeightQuantizer quantizer;
    try {
      quantizer = Quantizers.forConfig(config, path);
    } catch (IllegalArgumentException | UnsupportedOperationException expected) {
      return Outcome.REJECTED_BY_QUANTIZER;
    }
    int outFeatures = testCase.path("shape").get(0).asInt();
    int inFeatures = testCase.path("shape").get(1).asInt();
    FloatDtype dtype = ExpectedCase.dtype(testCase);
    float[] input = ExpectedCase.input(testCase);
    Applicability applicability = quantizer.applicability(outFeatures, inFeatures, dtype);
    boolean quantizeRejected;
    try {
      quantizer.quantize(WeightBlock.wholeTensor(input, outFeatures, inFeatures, dtype), TensorRange.of(input));
      quantizeRejected = false;
    } catch (IllegalArgumentException expected) {
      quantizeRejected = true;
    }
    if (applicability.status() == Applicability.Status.SKIP) {
      boolean int4Indivisible = file.config().startsWith("int4_") && inFeatures % file.kwargs().path("group_size").asInt() != 0;
      if (!int4Indivisible || !quantizeRejected) {
        throw new AssertionError(label + ": " + config.canonical() + " skips this weight (" + applicability.reason()
            + "), but torchao skips only Int4 weights whose in_features the group size does not divide"
            + " and quantize must then refuse the block; the reference raises: " + reason);
      }
      return Outcome.SKIPPED_AS_TORCHAO_DOES;
    }
    if (applicability.status() == Applicability.Status.REJECT) {
      return Outcome.REJECTED_BY_APPLICABILITY;
    }
    if (quantizeRejected) {
      return Outcome.REJECTED_BY_QUANTIZE;
    }
    throw new AssertionError(label + ": torchao rejects this case (" + reason + ") but " + config.canonical()
        + " quantized it");
  }
}
