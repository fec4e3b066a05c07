package dev.qspark.kernels.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.vectors.VectorFileChecker.Bits;
import dev.qspark.kernels.vectors.VectorFileChecker.CaseInput;
import java.util.Arrays;
import java.util.Map;

/**
 * One vector case's expected results, compared with a whole tensor's {@link QuantizedBlock} after
 * converting it to torchao's layout (the scale and zero point transposed to {@code [K/g, N]} where
 * torchao stores them so; a per-tensor pair is one value in both layouts).
 */
final class ExpectedCase {

  private final JsonNode testCase;
  private final CaseInput input;
  private final boolean transposedQParams;

  ExpectedCase(String config, JsonNode testCase, CaseInput input) {
    this.testCase = testCase;
    this.input = input;
    this.transposedQParams = VectorQuantizerFactory.storesTransposedQParams(config);
  }

  void assertMatches(QuantizedBlock actual, float[] dequantized, String label) {
    int[] expectedQdata = Bits.flatInts(testCase.path("qdata"));
    int[] actualQdata = new int[actual.qvalues().length];
    for (int i = 0; i < actualQdata.length; i++) {
      // The vectors list integer values, and a byte stores values above 127 in two's complement.
      actualQdata[i] = expectedQdata.length == actualQdata.length && expectedQdata[i] > 127
          ? actual.qvalues()[i] & 0xFF
          : actual.qvalues()[i];
    }
    assertSame(label, "qdata", expectedQdata, actualQdata, false);

    int[] expectedScale = Bits.floatBits(testCase.path("scale_f32_hex"));
    assertSame(label, "scale bits", expectedScale, Bits.floatBits(torchaoLayout(actual, actual.scale())), true);

    JsonNode zeroPoint = testCase.path("zero_point");
    if (zeroPoint.isMissingNode() || zeroPoint.isNull()) {
      if (actual.zeroPoint() != null) {
        throw new AssertionError(label + ": torchao stores no zero point, but the block has "
            + Arrays.toString(actual.zeroPoint()));
      }
    } else {
      if (actual.zeroPoint() == null) {
        throw new AssertionError(label + ": torchao stores a zero point, but the block has none");
      }
      float[] actualZeroPoint = torchaoLayout(actual, actual.zeroPoint());
      if (testCase.has("zero_point_f32_hex")) {
        assertSame(label, "zero point bits", Bits.floatBits(testCase.path("zero_point_f32_hex")),
            Bits.floatBits(actualZeroPoint), true);
      } else {
        int[] actualInts = new int[actualZeroPoint.length];
        for (int i = 0; i < actualInts.length; i++) {
          actualInts[i] = (int) actualZeroPoint[i];
          if (actualInts[i] != actualZeroPoint[i]) {
            throw new AssertionError(label + ": zero point " + actualZeroPoint[i] + " at " + i + " is not an integer");
          }
        }
        assertSame(label, "zero point", Bits.flatInts(zeroPoint), actualInts, false);
      }
    }

    byte[] expectedPacked = Bits.hex(testCase.path("packed_hex").asText());
    assertSame(label, "packed bytes", unsigned(expectedPacked), unsigned(actual.qdata()), false);

    if (testCase.has("shards")) {
      int offset = 0;
      for (Map.Entry<String, JsonNode> shard : testCase.path("shards").properties()) {
        byte[] expectedShard = Bits.hex(shard.getValue().asText());
        byte[] actualShard = Arrays.copyOfRange(actual.qdata(), offset, Math.min(actual.qdata().length,
            offset + expectedShard.length));
        assertSame(label, shard.getKey(), unsigned(expectedShard), unsigned(actualShard), false);
        offset += expectedShard.length;
      }
    }

    assertSame(label, "dequantized bits", Bits.floatBits(testCase.path("dequant_f32_hex")),
        Bits.floatBits(dequantized), true);
  }

  /** Converts the block layout {@code [rows, groups]} to torchao's, transposing where torchao does. */
  private float[] torchaoLayout(QuantizedBlock block, float[] values) {
    if (!transposedQParams || values.length == 1) {
      return values;
    }
    int rows = input.rows();
    int groups = block.groupsPerRow();
    float[] transposed = new float[values.length];
    for (int row = 0; row < rows; row++) {
      for (int group = 0; group < groups; group++) {
        transposed[group * rows + row] = values[row * groups + group];
      }
    }
    return transposed;
  }

  private static int[] unsigned(byte[] bytes) {
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xFF;
    }
    return out;
  }

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
