package dev.qspark.kernels.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.vectors.TorchaoLayouts.StoredTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One case's expected results as the reference writes them, compared bit for bit with a whole
 * weight's tensors in torchao's layout: {@code qdata}, {@code scale_f32_hex}, the zero point (bits,
 * or integers where it is an integer tensor, or absent), {@code packed_hex}, {@code shards},
 * {@code scale_and_zero_f32_hex} (tinygemm), {@code dequant_f32_hex} and the stored dtypes.
 */
final class ExpectedCase {

  private final JsonNode expected;

  ExpectedCase(JsonNode expected) {
    this.expected = expected;
  }

  /** The case's input weight: {@code input_f32_hex}, or zeros of the shape where an error case carries none. */
  static float[] input(JsonNode testCase) {
    if (testCase.has("input_f32_hex")) {
      return floats(testCase.path("input_f32_hex"));
    }
    return new float[testCase.path("shape").get(0).asInt() * testCase.path("shape").get(1).asInt()];
  }

  /**
   * Checks the stored dtypes and block size. The reference writes {@code qdata_dtype} as e.g.
   * {@code "uint4 (0..15)"}, whose first word is the torch name. IntxUnpackedToInt8Tensor stores
   * {@code torch.int1} to {@code int7} values one per int8, where the reference names the storage
   * dtype and qspark the value dtype, so an int8 there matches any of {@code int1..int8}. A
   * per-tensor block size depends on out_features, which {@link WeightQuantizer#storageInfo} is not
   * given, so it is not compared.
   */
  void assertStorageInfo(WeightQuantizer.StorageInfo info, String label) {
    String expectedQdataDtype = expected.path("qdata_dtype").asText().split(" ")[0];
    boolean narrowIntInInt8 = expectedQdataDtype.equals("int8") && info.qdataDtype().matches("int[1-8]");
    if (!narrowIntInInt8) {
      assertText(label, "qdata dtype", expectedQdataDtype, info.qdataDtype());
    }
    assertText(label, "scale dtype", expected.path("scale_dtype").asText(), info.scaleDtype());
    JsonNode zeroPointDtype = expected.path("zero_point_dtype");
    assertText(label, "zero point dtype", zeroPointDtype.isNull() ? null : zeroPointDtype.asText(),
        info.zeroPointDtype());
    if (Arrays.stream(info.blockSize()).noneMatch(size -> size < 0)) {
      assertSame(label, "block_size", flatInts(expected.path("block_size")), info.blockSize(), false);
    }
  }

  void assertMatches(StoredTensors actual, float[] dequantized, String label) {
    int[] expectedQdata = flatInts(expected.path("qdata"));
    int[] actualQdata = new int[actual.qvalues().length];
    for (int i = 0; i < actualQdata.length; i++) {
      // The vectors list integer values, and a byte stores values above 127 in two's complement.
      actualQdata[i] = i < expectedQdata.length && expectedQdata[i] > 127
          ? actual.qvalues()[i] & 0xFF
          : actual.qvalues()[i];
    }
    assertSame(label, "qdata", expectedQdata, actualQdata, false);
    assertSame(label, "scale bits", floatBits(expected.path("scale_f32_hex")), floatBits(actual.scale()), true);
    assertZeroPoint(actual.zeroPoint(), label);
    assertSame(label, "packed bytes", unsigned(hex(expected.path("packed_hex").asText())), unsigned(actual.packed()),
        false);
    if (expected.has("shards")) {
      assertShards(actual.packed(), label);
    }
    if (expected.has("scale_and_zero_f32_hex")) {
      assertSame(label, "scale_and_zero bits", floatBits(expected.path("scale_and_zero_f32_hex")),
          floatBits(actual.scaleAndZero()), true);
    }
    assertSame(label, "dequantized bits", floatBits(expected.path("dequant_f32_hex")), floatBits(dequantized), true);
  }

  private void assertZeroPoint(float[] actual, String label) {
    JsonNode zeroPoint = expected.path("zero_point");
    if (zeroPoint.isMissingNode() || zeroPoint.isNull()) {
      if (actual != null) {
        throw new AssertionError(label + ": torchao stores no zero point, but the block has " + Arrays.toString(actual));
      }
      return;
    }
    if (actual == null) {
      throw new AssertionError(label + ": torchao stores a zero point, but the block has none");
    }
    if (expected.has("zero_point_f32_hex")) {
      assertSame(label, "zero point bits", floatBits(expected.path("zero_point_f32_hex")), floatBits(actual), true);
      return;
    }
    int[] actualInts = new int[actual.length];
    for (int i = 0; i < actualInts.length; i++) {
      actualInts[i] = (int) actual[i];
      if (actualInts[i] != actual[i]) {
        throw new AssertionError(label + ": zero point " + actual[i] + " at index " + i + " is not an integer");
      }
    }
    assertSame(label, "zero point", flatInts(zeroPoint), actualInts, false);
  }

  private void assertShards(byte[] packed, String label) {
    int offset = 0;
    for (Map.Entry<String, JsonNode> shard : expected.path("shards").properties()) {
      byte[] expectedShard = hex(shard.getValue().asText());
      byte[] actualShard = Arrays.copyOfRange(packed, offset, Math.min(packed.length, offset + expectedShard.length));
      assertSame(label, shard.getKey(), unsigned(expectedShard), unsigned(actualShard), false);
      offset += expectedShard.length;
    }
  }

  static float[] floats(JsonNode hexList) {
    float[] out = new float[hexList.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(hexList.get(i).asText(), 16));
    }
    return out;
  }

  static FloatDtype dtype(JsonNode testCase) {
    return FloatDtype.fromTorchName(testCase.path("dtype").asText());
  }

  private static int[] floatBits(JsonNode hexList) {
    int[] out = new int[hexList.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Integer.parseUnsignedInt(hexList.get(i).asText(), 16);
    }
    return out;
  }

  private static int[] floatBits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }

  /** Flattens a nested JSON list of integers, row-major. */
  private static int[] flatInts(JsonNode nested) {
    List<Integer> out = new ArrayList<>();
    flatten(nested, out);
    return out.stream().mapToInt(Integer::intValue).toArray();
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

  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text);
  }

  private static int[] unsigned(byte[] bytes) {
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xFF;
    }
    return out;
  }

  private static void assertText(String label, String field, String expectedText, String actualText) {
    if (expectedText == null ? actualText != null : !expectedText.equals(actualText)) {
      throw new AssertionError(label + ": " + field + " is " + actualText + ", expected " + expectedText);
    }
  }

  /** Asserts equal arrays and reports how many elements differ and the first one that does. */
  private static void assertSame(String label, String field, int[] expected, int[] actual, boolean hex) {
    if (expected.length != actual.length) {
      throw new AssertionError(label + ": " + field + " has " + actual.length + " values, expected " + expected.length);
    }
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
      String expectedText = hex ? String.format("%08x", expected[first]) : String.valueOf(expected[first]);
      String actualText = hex ? String.format("%08x", actual[first]) : String.valueOf(actual[first]);
      throw new AssertionError(String.format("%s: %s differs at %d of %d positions, first at index %d:"
          + " expected %s, got %s", label, field, mismatches, expected.length, first, expectedText, actualText));
    }
  }
}
