package dev.qspark.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a sharded BF16 checkpoint too large to hold in a small heap, streaming it to disk, and
 * checks values read from it. Each shard contains one {@code [ROWS, COLUMNS]} tensor named {@code
 * model.layers.<shard>.mlp.up_proj.weight}.
 */
final class LargeCheckpoint {

  static final int ROWS = 16_384;
  static final int COLUMNS = 4_096;
  static final int SHARDS = 2;

  private LargeCheckpoint() {}

  static String shardName(int shard) {
    return String.format("model-%05d-of-%05d.safetensors", shard + 1, SHARDS);
  }

  static String tensorName(int shard) {
    return "model.layers." + shard + ".mlp.up_proj.weight";
  }

  /**
   * Returns the BF16 bits stored at {@code (row, column)} of shard {@code shard}: a multiplicative
   * hash with bit 14 cleared, so the exponent never reaches 255 and no value is infinite or NaN.
   */
  static int bits(int shard, long row, long column) {
    long index = (shard * (long) ROWS + row) * COLUMNS + column;
    return (int) ((index * 2654435761L) >>> 16) & 0xbfff;
  }

  /** Writes the shards and the index into {@code folder}; about 128 MiB per shard. */
  static void write(Path folder) throws IOException {
    StringBuilder weightMap = new StringBuilder();
    for (int shard = 0; shard < SHARDS; shard++) {
      writeShard(folder.resolve(shardName(shard)), shard);
      weightMap.append(shard == 0 ? "" : ",")
          .append('"').append(tensorName(shard)).append("\":\"").append(shardName(shard)).append('"');
    }
    Files.writeString(
        folder.resolve(ShardIndex.FILE_NAME),
        "{\"metadata\":{},\"weight_map\":{" + weightMap + "}}",
        StandardCharsets.UTF_8);
  }

  private static void writeShard(Path path, int shard) throws IOException {
    long dataBytes = 2L * ROWS * COLUMNS;
    String header =
        "{\"" + tensorName(shard) + "\":{\"dtype\":\"BF16\",\"shape\":[" + ROWS + "," + COLUMNS
            + "],\"data_offsets\":[0," + dataBytes + "]}}";
    byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer prefix = ByteBuffer.allocate(8 + headerBytes.length).order(ByteOrder.LITTLE_ENDIAN);
      prefix.putLong(headerBytes.length).put(headerBytes).flip();
      writeAll(channel, prefix);

      ByteBuffer rowBuffer = ByteBuffer.allocate(2 * COLUMNS * 64).order(ByteOrder.LITTLE_ENDIAN);
      for (int row = 0; row < ROWS; row++) {
        for (int column = 0; column < COLUMNS; column++) {
          rowBuffer.putShort((short) bits(shard, row, column));
        }
        if (!rowBuffer.hasRemaining()) {
          rowBuffer.flip();
          writeAll(channel, rowBuffer);
          rowBuffer.clear();
        }
      }
      rowBuffer.flip();
      writeAll(channel, rowBuffer);
    }
  }

  private static void writeAll(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /**
   * Checks {@code count} decoded values of shard {@code shard} starting at {@code firstRow};
   * returns null when all match, else a description of the first mismatch.
   */
  static String firstMismatch(int shard, long firstRow, float[] values, int count) {
    for (int i = 0; i < count; i++) {
      long row = firstRow + i / COLUMNS;
      int column = i % COLUMNS;
      int expected = bits(shard, row, column) << 16;
      int actual = Float.floatToRawIntBits(values[i]);
      if (actual != expected) {
        return "shard " + shard + " row " + row + " column " + column + ": bits "
            + Integer.toHexString(actual) + " but expected " + Integer.toHexString(expected);
      }
    }
    return null;
  }
}
