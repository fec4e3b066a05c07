package dev.qspark.kernels.format;

import java.util.ArrayList;
import java.util.List;

/**
 * torchao's UintxLayout bit packing (the {@code pack} function of {@code torchao/dtypes/uintx/bitpacking.py},
 * packing the last dimension), for values of 1 to 7 bits.
 *
 * <p>Each value is split into pieces of 4, 2 and 1 bits, lowest bits first, and each piece width
 * becomes one byte tensor, a shard, stored in the order int4, int2, int1:
 * <pre>
 *   bits   pieces (value bits)                   shards
 *   1      [0]                                   int1
 *   2      [1:0]                                 int2
 *   3      [1:0] [2]                             int2, int1
 *   4      [3:0]                                 int4
 *   5      [3:0] [4]                             int4, int1
 *   6      [3:0] [5:4]                           int4, int2
 *   7      [3:0] [5:4] [6]                       int4, int2, int1
 * </pre>
 * A shard of {@code nb}-bit pieces packs {@code c = 8 / nb} pieces into each byte. A row of K pieces is
 * cut into c contiguous chunks of {@code K / c}; byte j of the row ORs piece j of chunk i at bit
 * offset {@code nb * i}, chunk 0 in the lowest bits. Neighbouring elements therefore do not share a
 * byte: for 4-bit pieces byte j is {@code q[j] | q[j + K/2] << 4}.
 * <pre>
 *   int2 shard, K = 8, byte j (LSB first):  bits 1:0 = q[j]  3:2 = q[j+2]  5:4 = q[j+4]  7:6 = q[j+6]
 * </pre>
 * K must be a multiple of 8 so every chunk is whole.
 */
public final class UintxBitPacker {

  private static final int[][] PIECE_WIDTHS = {
    {}, {1}, {2}, {2, 1}, {4}, {4, 1}, {4, 2}, {4, 2, 1},
  };

  private UintxBitPacker() {}

  /** Returns the piece width of each shard for values of {@code bits} bits, in storage order. */
  public static int[] shardWidths(int bits) {
    requireBits(bits);
    return PIECE_WIDTHS[bits].clone();
  }

  /** Returns torchao's names of the shards for values of {@code bits} bits, e.g. {@code int4_shard}. */
  public static List<String> shardNames(int bits) {
    List<String> names = new ArrayList<>();
    for (int width : shardWidths(bits)) {
      names.add("int" + width + "_shard");
    }
    return names;
  }

  /**
   * Packs {@code [rowCount, inFeatures]} unsigned values (one per byte, row-major) into the shards.
   *
   * @return one array per shard, each {@code [rowCount, inFeatures * width / 8]} row-major
   */
  public static List<byte[]> pack(byte[] values, int rowCount, int inFeatures, int bits) {
    requireBits(bits);
    requirePackableRow(inFeatures);
    List<byte[]> shards = new ArrayList<>();
    int shift = 0;
    for (int width : PIECE_WIDTHS[bits]) {
      int chunks = 8 / width;
      int chunkLength = inFeatures / chunks;
      int mask = (1 << width) - 1;
      byte[] shard = new byte[rowCount * chunkLength];
      for (int row = 0; row < rowCount; row++) {
        int rowStart = row * inFeatures;
        for (int j = 0; j < chunkLength; j++) {
          int packed = 0;
          for (int chunk = 0; chunk < chunks; chunk++) {
            int piece = ((values[rowStart + chunk * chunkLength + j] & 0xFF) >>> shift) & mask;
            packed |= piece << (width * chunk);
          }
          shard[row * chunkLength + j] = (byte) packed;
        }
      }
      shards.add(shard);
      shift += width;
    }
    return shards;
  }

  /** Rebuilds {@code [rowCount, inFeatures]} values from shards made by {@link #pack}. */
  public static byte[] unpack(List<byte[]> shards, int rowCount, int inFeatures, int bits) {
    requireBits(bits);
    requirePackableRow(inFeatures);
    int[] widths = PIECE_WIDTHS[bits];
    if (shards.size() != widths.length) {
      throw new IllegalArgumentException(
          "Cannot unpack uint" + bits + " values: expected " + widths.length + " shards, got " + shards.size());
    }
    byte[] values = new byte[rowCount * inFeatures];
    int shift = 0;
    for (int s = 0; s < widths.length; s++) {
      int width = widths[s];
      int chunks = 8 / width;
      int chunkLength = inFeatures / chunks;
      int mask = (1 << width) - 1;
      byte[] shard = shards.get(s);
      if (shard.length != rowCount * chunkLength) {
        throw new IllegalArgumentException("Cannot unpack uint" + bits + " values: the int" + width + " shard has "
            + shard.length + " bytes, expected " + rowCount * chunkLength);
      }
      for (int row = 0; row < rowCount; row++) {
        for (int j = 0; j < chunkLength; j++) {
          int packed = shard[row * chunkLength + j] & 0xFF;
          for (int chunk = 0; chunk < chunks; chunk++) {
            int piece = (packed >>> (width * chunk)) & mask;
            values[row * inFeatures + chunk * chunkLength + j] |= (byte) (piece << shift);
          }
        }
      }
      shift += width;
    }
    return values;
  }

  private static void requireBits(int bits) {
    if (bits < 1 || bits > 7) {
      throw new IllegalArgumentException(
          "Unsupported dtype uint" + bits + " for UintxLayout packing: expected uint1 to uint7");
    }
  }

  private static void requirePackableRow(int inFeatures) {
    if (inFeatures % 8 != 0) {
      throw new IllegalArgumentException(
          "Cannot pack rows of " + inFeatures + " values with UintxLayout: the row length must be a multiple of 8");
    }
  }
}
