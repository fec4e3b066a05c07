package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UintxBitPackerTest {

  /** torchao's test_bitpacking example for uint6, the only hard-coded packing result it has. */
  @Test
  void uint6MatchesTorchaoExample() {
    byte[] values = bytes(0x30, 0x29, 0x17, 0x05, 0x20, 0x16, 0x09, 0x22);

    List<byte[]> shards = UintxBitPacker.pack(values, 1, 8, 6);

    assertThat(UintxBitPacker.shardNames(6)).containsExactly("int4_shard", "int2_shard");
    assertThat(shards).hasSize(2);
    assertThat(shards.get(0)).containsExactly(bytes(0, 105, 151, 37));
    assertThat(shards.get(1)).containsExactly(bytes(39, 146));
  }

  @Test
  void uint4ChunksHalvesOfTheRow() {
    byte[] values = bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0);

    List<byte[]> shards = UintxBitPacker.pack(values, 1, 16, 4);

    // Byte j contains q[j] in the low nibble and q[j + 8] in the high nibble.
    assertThat(shards.get(0)).containsExactly(bytes(0x91, 0xA2, 0xB3, 0xC4, 0xD5, 0xE6, 0xF7, 0x08));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void unpackInvertsPack(int bits) {
    Random random = new Random(20240 + bits);
    int rows = 3;
    int inFeatures = 48;
    byte[] values = new byte[rows * inFeatures];
    for (int i = 0; i < values.length; i++) {
      values[i] = (byte) random.nextInt(1 << bits);
    }

    List<byte[]> shards = UintxBitPacker.pack(values, rows, inFeatures, bits);

    int[] widths = UintxBitPacker.shardWidths(bits);
    assertThat(shards).hasSize(widths.length);
    for (int s = 0; s < widths.length; s++) {
      assertThat(shards.get(s)).hasSize(rows * inFeatures * widths[s] / 8);
    }
    assertThat(UintxBitPacker.unpack(shards, rows, inFeatures, bits)).containsExactly(values);
  }

  @Test
  void rowNotMultipleOfEightRejected() {
    assertThatThrownBy(() -> UintxBitPacker.pack(new byte[12], 1, 12, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiple of 8");
  }

  @Test
  void uint8Rejected() {
    assertThatThrownBy(() -> UintxBitPacker.pack(new byte[8], 1, 8, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uint8");
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
