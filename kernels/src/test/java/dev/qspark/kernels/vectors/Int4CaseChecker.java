package dev.qspark.kernels.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.format.Int4PlainQuantizer;
import dev.qspark.kernels.format.Int4TilePackedTo4dQuantizer;
import dev.qspark.kernels.format.Int4TinygemmV1Quantizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Compares one Int4 format's output for a whole weight with torchao's expected tensors, given as
 * the JSON that the numpy reference writes: {@code qdata}, {@code scale_f32_hex},
 * {@code zero_point_f32_hex}, {@code packed_hex}, {@code scale_and_zero_f32_hex} (tinygemm) and
 * {@code dequant_f32_hex}. The weight is quantized whole and in blocks of 1 and 2 rows, and every
 * rebuilt tensor must match bit for bit.
 */
final class Int4CaseChecker {

  /** The Int4 configs of the reference, by the name it gives them. */
  enum Int4Config {
    PLAIN("int4_v2_plain"),
    TILE_PACKED_TO_4D("int4_v2_tile_packed_to_4d"),
    V1_TINYGEMM("int4_v1_tinygemm");

    final String referenceName;

    Int4Config(String referenceName) {
      this.referenceName = referenceName;
    }

    static Int4Config fromReferenceName(String name) {
      return Arrays.stream(values())
          .filter(config -> config.referenceName.equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException(
              "Unsupported config '" + name + "': expected int4_v2_plain, int4_v2_tile_packed_to_4d or int4_v1_tinygemm"));
    }

    WeightQuantizer quantizer(int groupSize, TorchaoRelease release, DeviceArithmetic device) {
      return switch (this) {
        case PLAIN -> new Int4PlainQuantizer(groupSize, release, device);
        case TILE_PACKED_TO_4D -> new Int4TilePackedTo4dQuantizer(
            groupSize, release, device, Int4TilePackedTo4dQuantizer.DEFAULT_NTILE_SIZE);
        case V1_TINYGEMM -> new Int4TinygemmV1Quantizer(groupSize, release, device);
      };
    }

    long paddedOutFeatures(WeightQuantizer quantizer, long outFeatures) {
      return switch (this) {
        case PLAIN -> outFeatures;
        case TILE_PACKED_TO_4D -> ((Int4TilePackedTo4dQuantizer) quantizer).paddedOutFeatures(outFeatures);
        case V1_TINYGEMM -> ((Int4TinygemmV1Quantizer) quantizer).paddedOutFeatures(outFeatures);
      };
    }
  }

  private final Int4Config config;
  private final WeightQuantizer quantizer;
  private final int groupSize;

  Int4CaseChecker(Int4Config config, int groupSize, TorchaoRelease release, DeviceArithmetic device) {
    this.config = config;
    this.groupSize = groupSize;
    this.quantizer = config.quantizer(groupSize, release, device);
  }

  /**
   * Checks that the quantizer does not quantize a weight the reference raises for. The reference
   * raises when in_features is not divisible by the group size, where torchao leaves the weight
   * unquantized, so that case must be a skip and every other one a rejection.
   */
  Applicability.Status checkNotQuantized(String label, int outFeatures, int inFeatures, FloatDtype dtype, float[] input) {
    Applicability applicability = quantizer.applicability(outFeatures, inFeatures, dtype);
    Applicability.Status expected = inFeatures % groupSize != 0 && !isReleaseRejected()
        ? Applicability.Status.SKIP
        : Applicability.Status.REJECT;
    assertThat(applicability.status()).as("%s: applicability", label).isEqualTo(expected);
    WeightBlock block = WeightBlock.wholeTensor(input, outFeatures, inFeatures, dtype);
    assertThatThrownBy(() -> quantizer.quantize(block, null))
        .as("%s: quantize", label)
        .isInstanceOf(IllegalArgumentException.class);
    return expected;
  }

  /** True for version 1 in a release after 0.15, which torchao rejects before looking at the weight. */
  private boolean isReleaseRejected() {
    return config == Int4Config.V1_TINYGEMM && ((Int4TinygemmV1Quantizer) quantizer).release() != TorchaoRelease.V0_15;
  }

  /** Checks every stored tensor and the dequantized values against {@code expected}. */
  void checkQuantized(
      String label, int outFeatures, int inFeatures, FloatDtype dtype, float[] input, JsonNode expected) {
    assertThat(quantizer.applicability(outFeatures, inFeatures, dtype).status())
        .as("%s: applicability", label)
        .isEqualTo(Applicability.Status.QUANTIZE);
    checkStorageInfo(label, inFeatures, dtype, expected);
    for (int rowsPerBlock : new int[] {outFeatures, 1, 2}) {
      List<QuantizedBlock> blocks = new ArrayList<>();
      for (int rowStart = 0; rowStart < outFeatures; rowStart += rowsPerBlock) {
        int rows = Math.min(rowsPerBlock, outFeatures - rowStart);
        float[] values = Arrays.copyOfRange(input, rowStart * inFeatures, (rowStart + rows) * inFeatures);
        blocks.add(quantizer.quantize(
            new WeightBlock(values, rowStart, rows, outFeatures, inFeatures, dtype), null));
      }
      String blockLabel = label + " in blocks of " + rowsPerBlock + " rows";
      compare(blockLabel, blocks, outFeatures, inFeatures, dtype, expected);
    }
  }

  /**
   * Checks the stored dtypes and block size. The reference writes {@code qdata_dtype} as e.g.
   * {@code "uint4 (0..15)"}, whose first word is the torch name.
   */
  private void checkStorageInfo(String label, int inFeatures, FloatDtype dtype, JsonNode expected) {
    WeightQuantizer.StorageInfo info = quantizer.storageInfo(dtype, inFeatures);
    assertThat(info.qdataDtype()).as("%s: qdata dtype", label)
        .isEqualTo(expected.get("qdata_dtype").asText().split(" ")[0]);
    assertThat(info.scaleDtype()).as("%s: scale dtype", label).isEqualTo(expected.get("scale_dtype").asText());
    assertThat(info.zeroPointDtype()).as("%s: zero_point dtype", label)
        .isEqualTo(expected.get("zero_point_dtype").asText());
    assertThat(info.blockSize()).as("%s: block_size", label).containsExactly(flattenInts(expected.get("block_size")));
  }

  private void compare(String label, List<QuantizedBlock> blocks, int outFeatures, int inFeatures,
      FloatDtype dtype, JsonNode expected) {
    byte[] qvalues = TorchaoLayouts.concatQvalues(blocks);
    int[] actualQdata = new int[qvalues.length];
    for (int i = 0; i < qvalues.length; i++) {
      actualQdata[i] = qvalues[i];
    }
    assertSameInts(label + ": qdata", flattenInts(expected.get("qdata")), actualQdata, false);

    int groups = inFeatures / groupSize;
    if (config == Int4Config.PLAIN) {
      assertSameBits(label + ": scale [K/g, N]", expected.get("scale_f32_hex"),
          TorchaoLayouts.transpose(TorchaoLayouts.concatScale(blocks), outFeatures, groups));
      assertSameBits(label + ": zero_point [K/g, N]", expected.get("zero_point_f32_hex"),
          TorchaoLayouts.transpose(TorchaoLayouts.concatZeroPoint(blocks), outFeatures, groups));
      assertSameBytes(label + ": packed", expected.get("packed_hex").asText(), TorchaoLayouts.concatQdata(blocks));
    } else {
      int paddedOutFeatures = Math.toIntExact(config.paddedOutFeatures(quantizer, outFeatures));
      TorchaoLayouts.TinygemmTensors tensors = TorchaoLayouts.tinygemm(
          quantizer, blocks, outFeatures, inFeatures, groupSize, paddedOutFeatures, dtype);
      assertSameBits(label + ": scale [N, K_pad/g]", expected.get("scale_f32_hex"), tensors.scale());
      assertSameBits(label + ": zero_point [N, K_pad/g]", expected.get("zero_point_f32_hex"), tensors.zeroPoint());
      assertSameBits(label + ": scale_and_zero", expected.get("scale_and_zero_f32_hex"), tensors.scaleAndZero());
      assertSameBytes(label + ": packed [N_pad, K_pad/2]", expected.get("packed_hex").asText(), tensors.packed());
    }

    List<float[]> dequantized = new ArrayList<>();
    for (QuantizedBlock block : blocks) {
      dequantized.add(quantizer.dequantize(block, dtype));
    }
    assertSameBits(label + ": dequant", expected.get("dequant_f32_hex"), TorchaoLayouts.concat(dequantized));
  }

  static int[] flattenInts(JsonNode nested) {
    List<Integer> out = new ArrayList<>();
    flattenInto(nested, out);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void flattenInto(JsonNode node, List<Integer> out) {
    if (node.isArray()) {
      node.forEach(child -> flattenInto(child, out));
    } else {
      out.add(node.asInt());
    }
  }

  static float[] floatsFromHex(JsonNode hexArray) {
    float[] out = new float[hexArray.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(hexArray.get(i).asText(), 16));
    }
    return out;
  }

  private static void assertSameBits(String description, JsonNode expectedHex, float[] actual) {
    assertThat(expectedHex).as("%s: expected values present", description).isNotNull();
    float[] expected = floatsFromHex(expectedHex);
    int[] expectedBits = new int[expected.length];
    int[] actualBits = new int[actual.length];
    for (int i = 0; i < expected.length; i++) {
      expectedBits[i] = Float.floatToRawIntBits(expected[i]);
    }
    for (int i = 0; i < actual.length; i++) {
      actualBits[i] = Float.floatToRawIntBits(actual[i]);
    }
    assertSameInts(description + " (float32 bits)", expectedBits, actualBits, true);
  }

  private static void assertSameBytes(String description, String expectedHex, byte[] actual) {
    byte[] expected = HexFormat.of().parseHex(expectedHex);
    int[] expectedInts = new int[expected.length];
    int[] actualInts = new int[actual.length];
    for (int i = 0; i < expected.length; i++) {
      expectedInts[i] = expected[i] & 0xFF;
    }
    for (int i = 0; i < actual.length; i++) {
      actualInts[i] = actual[i] & 0xFF;
    }
    assertSameInts(description + " (bytes)", expectedInts, actualInts, true);
  }

  /** Asserts equal arrays and reports how many elements differ and the first one that does. */
  private static void assertSameInts(String description, int[] expected, int[] actual, boolean hex) {
    assertThat(actual.length).as("%s: length", description).isEqualTo(expected.length);
    int mismatches = 0;
    int first = -1;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] != actual[i]) {
        mismatches++;
        if (first < 0) {
          first = i;
        }
      }
    }
    if (mismatches > 0) {
      assertThat(mismatches)
          .as("%s: %d of %d elements differ, the first at index %d: expected %s, got %s", description, mismatches,
              expected.length, first, format(expected[first], hex), format(actual[first], hex))
          .isZero();
    }
  }

  private static String format(int value, boolean hex) {
    return hex ? String.format("0x%x", value) : Integer.toString(value);
  }
}
