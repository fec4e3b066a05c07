package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packs with one implementation and unpacks with the other: the packers of the formats against
 * reference packers written here element by element from the layouts in the packers' Javadoc.
 * Golden bytes pin the layouts that other tests do not.
 */
class PackerCrossTest {

  private static final int ROWS = 3;
  private static final int IN_FEATURES = 64;
  private static final float[] NO_SCALES = new float[ROWS * 2];

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void uintxPackerMatchesReference(int bits) {
    byte[] values = randomValues(0, (1 << bits) - 1, 300 + bits);
    UIntXWeightOnlyQuantizer format = new UIntXWeightOnlyQuantizer(bits, 32, TorchaoRelease.V0_15, DeviceArithmetic.CPU);

    byte[] packedByFormat = format.pack(values, ROWS, IN_FEATURES);
    byte[] packedByReference = referenceUintxPack(values, bits);

    assertThat(packedByFormat).as("uint%d packed", bits).containsExactly(packedByReference);
    assertThat(referenceUintxUnpack(packedByFormat, bits)).as("uint%d unpacked by the reference", bits)
        .containsExactly(values);
    QuantizedBlock rebuilt = format.fromStored(ROWS, IN_FEATURES, packedByReference, NO_SCALES, NO_SCALES.clone());
    assertThat(rebuilt.qvalues()).as("uint%d unpacked by fromStored", bits).containsExactly(values);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void intxStoresOneValuePerByte(int bits) {
    byte[] values = randomValues(-(1 << (bits - 1)), (1 << (bits - 1)) - 1, 400 + bits);
    IntxWeightOnlyV2Quantizer format = new IntxWeightOnlyV2Quantizer(bits, new Granularity.PerGroup(32),
        MappingType.ASYMMETRIC, null, TorchaoRelease.V0_15, DeviceArithmetic.CPU);

    byte[] packed = format.pack(values, ROWS, IN_FEATURES);

    assertThat(packed).as("int%d packed", bits).containsExactly(values);
    QuantizedBlock rebuilt = format.fromStored(ROWS, IN_FEATURES, values.clone(), NO_SCALES, NO_SCALES.clone());
    assertThat(rebuilt.qvalues()).as("int%d unpacked", bits).containsExactly(values);
  }

  @Test
  void int4PlainUnpacksReferenceNibbles() {
    byte[] values = randomValues(-8, 7, 501);
    byte[] packed = referenceNibblePack(values, true);

    byte[] packedByOrder = new byte[packed.length];
    for (int row = 0; row < ROWS; row++) {
      Int4NibbleOrder.EVEN_LOW.packRow(values, row * IN_FEATURES, IN_FEATURES, packedByOrder, row * IN_FEATURES / 2);
    }
    QuantizedBlock rebuilt = new Int4PlainQuantizer(32, TorchaoRelease.V0_15)
        .fromStored(ROWS, IN_FEATURES, packed, NO_SCALES, NO_SCALES.clone());

    assertThat(packedByOrder).containsExactly(packed);
    assertThat(rebuilt.qvalues()).containsExactly(values);
  }

  @Test
  void int4PlainInt32PackerMatchesReference() {
    byte[] values = randomValues(0, 15, 502);
    Int4PlainInt32Quantizer format = new Int4PlainInt32Quantizer(32, TorchaoRelease.V0_18, DeviceArithmetic.XPU);

    byte[] packed = format.pack(values, ROWS, IN_FEATURES);
    QuantizedBlock rebuilt = format.fromStored(ROWS, IN_FEATURES, referenceNibblePack(values, true), NO_SCALES,
        NO_SCALES.clone());

    assertThat(packed).containsExactly(referenceNibblePack(values, true));
    assertThat(rebuilt.qvalues()).containsExactly(values);
  }

  @Test
  void tinygemmUnpacksReferenceNibbles() {
    byte[] values = randomValues(0, 15, 503);
    int paddedInFeatures = 1024;
    byte[] paddedValues = new byte[ROWS * paddedInFeatures];
    for (int row = 0; row < ROWS; row++) {
      System.arraycopy(values, row * IN_FEATURES, paddedValues, row * paddedInFeatures, IN_FEATURES);
    }
    byte[] packed = referenceNibblePack(paddedValues, false);

    QuantizedBlock rebuilt =
        new Int4TinygemmV1Quantizer(32).fromStored(ROWS, IN_FEATURES, packed, NO_SCALES, NO_SCALES.clone());

    assertThat(rebuilt.qvalues()).containsExactly(values);
  }

  /** Hand-computed: bits 3:0 in the int4 shard, bits 5:4 in the int2 shard, bit 6 in the int1 shard. */
  @Test
  void uint7GoldenBytes() {
    byte[] values = bytes(0x7F, 0x00, 0x55, 0x2A, 0x01, 0x40, 0x3C, 0x63);
    UIntXWeightOnlyQuantizer format = new UIntXWeightOnlyQuantizer(7, 8, TorchaoRelease.V0_15, DeviceArithmetic.CPU);

    byte[] packed = format.pack(values, 1, 8);

    assertThat(packed).containsExactly(bytes(0x1F, 0x00, 0xC5, 0x3A, 0xC7, 0x88, 0xA5));
  }

  @Test
  void int4PlainInt32GoldenBytes() {
    Int4PlainInt32Quantizer format = new Int4PlainInt32Quantizer(4, TorchaoRelease.V0_18, DeviceArithmetic.XPU);

    byte[] packed = format.pack(bytes(0x1, 0x2, 0xF, 0x0, 0x8, 0x7, 0x3, 0xC), 1, 8);

    assertThat(packed).containsExactly(bytes(0x21, 0x0F, 0x78, 0xC3));
  }

  /**
   * A group holding 0..15 gets scale 1 and zero point 8, so each value quantizes to itself. The
   * even column goes to the high nibble, and in_features is padded to 1024 with quantized zeros.
   */
  @Test
  void tinygemmGoldenBytes() {
    float[] row = new float[32];
    for (int i = 0; i < 16; i++) {
      row[i] = i;
      row[31 - i] = i;
    }
    WeightBlock block = WeightBlock.wholeTensor(row, 1, 32, FloatDtype.BFLOAT16);

    QuantizedBlock quantized = new Int4TinygemmV1Quantizer(32).quantize(block, null);

    byte[] expected = new byte[512];
    byte[] used = bytes(0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10);
    System.arraycopy(used, 0, expected, 0, used.length);
    assertThat(quantized.scale()).containsExactly(1f);
    assertThat(quantized.zeroPoint()).containsExactly(8f);
    assertThat(quantized.qdata()).containsExactly(expected);
  }

  private static byte[] referenceUintxPack(byte[] values, int bits) {
    List<Integer> widths = new ArrayList<>();
    int remaining = bits;
    for (int width : new int[] {4, 2, 1}) {
      if (remaining >= width) {
        widths.add(width);
        remaining -= width;
      }
    }
    byte[] out = new byte[ROWS * IN_FEATURES * bits / 8];
    int shardOffset = 0;
    int shift = 0;
    for (int width : widths) {
      int chunkLength = IN_FEATURES / (8 / width);
      for (int row = 0; row < ROWS; row++) {
        for (int k = 0; k < IN_FEATURES; k++) {
          int piece = ((values[row * IN_FEATURES + k] & 0xFF) >> shift) & ((1 << width) - 1);
          int byteIndex = shardOffset + row * chunkLength + k % chunkLength;
          out[byteIndex] |= (byte) (piece << (width * (k / chunkLength)));
        }
      }
      shardOffset += ROWS * chunkLength;
      shift += width;
    }
    return out;
  }

  private static byte[] referenceUintxUnpack(byte[] packed, int bits) {
    byte[] values = new byte[ROWS * IN_FEATURES];
    int shardOffset = 0;
    int shift = 0;
    for (int width : new int[] {4, 2, 1}) {
      if (bits - shift < width) {
        continue;
      }
      int chunkLength = IN_FEATURES / (8 / width);
      for (int row = 0; row < ROWS; row++) {
        for (int k = 0; k < IN_FEATURES; k++) {
          int packedByte = packed[shardOffset + row * chunkLength + k % chunkLength] & 0xFF;
          int piece = (packedByte >> (width * (k / chunkLength))) & ((1 << width) - 1);
          values[row * IN_FEATURES + k] |= (byte) (piece << shift);
        }
      }
      shardOffset += ROWS * chunkLength;
      shift += width;
    }
    return values;
  }

  /** Packs consecutive pairs of 4-bit values, the even one low or high, over the whole array. */
  private static byte[] referenceNibblePack(byte[] values, boolean evenLow) {
    byte[] out = new byte[values.length / 2];
    for (int k = 0; k < values.length; k++) {
      boolean low = (k % 2 == 0) == evenLow;
      out[k / 2] |= (byte) ((values[k] & 0xF) << (low ? 0 : 4));
    }
    return out;
  }

  private static byte[] randomValues(int min, int max, long seed) {
    Random random = new Random(seed);
    byte[] values = new byte[ROWS * IN_FEATURES];
    for (int i = 0; i < values.length; i++) {
      values[i] = (byte) (min + random.nextInt(max - min + 1));
    }
    values[0] = (byte) min;
    values[1] = (byte) max;
    return values;
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
