package dev.qspark.job.checksum;

import dev.qspark.kernels.format.UintxBitPacker;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many bytes per weight row each stored tensor of a block's {@code qdata} takes. UIntX weights of
 * 3, 5, 6 or 7 bits are stored as several bit shards of widths 4, 2 and 1, as the bit width decomposes
 * (3 is [2, 1], 5 is [4, 1], 6 is [4, 2], 7 is [4, 2, 1]). Every other format stores one tensor.
 */
final class StoredTensors {

  private static final Pattern SHARDED_UINT = Pattern.compile("uint([3567])");
  private static final int[] SINGLE = {};

  private StoredTensors() {}

  /**
   * Returns each shard's bytes per weight row for a {@code qdata_dtype}, or an empty array when the
   * qdata is one stored tensor, whose blocks need no splitting.
   *
   * @throws IllegalArgumentException when a shard's row is not a whole number of bytes
   */
  static int[] shardBytesPerRow(String qdataDtype, long inFeatures) {
    Matcher matcher = SHARDED_UINT.matcher(qdataDtype);
    if (!matcher.matches()) {
      return SINGLE;
    }
    int bits = Integer.parseInt(matcher.group(1));
    int[] widths = UintxBitPacker.shardWidths(bits);
    int[] bytesPerRow = new int[widths.length];
    for (int shard = 0; shard < widths.length; shard++) {
      long rowBits = widths[shard] * inFeatures;
      if (rowBits % 8 != 0) {
        throw new IllegalArgumentException("a " + widths[shard] + "-bit shard of a row of " + inFeatures
            + " values is not a whole number of bytes");
      }
      bytesPerRow[shard] = Math.toIntExact(rowBits / 8);
    }
    return bytesPerRow;
  }
}
