package dev.qspark.job.checksum;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The digest of one quantized weight of one config, fed with its blocks in row order. Each stored
 * tensor, the scale and the zero point get their own SHA-256 over the whole weight's bytes. Blocks
 * therefore stream through without the weight being rebuilt in memory, and any split of the rows into
 * blocks gives the same result.
 *
 * <p>The blocks must tile the rows {@code [0, out_features)} exactly once, in order: a gap, an overlap
 * or a repeated block is an error, because it means rows are missing or duplicated.
 */
final class TensorDigest {

  private final BlockRow first;
  private final int[] shardBytesPerRow;
  private final MessageDigest[] qdataDigests;
  private final MessageDigest scaleDigest = DigestEncoding.newDigest();
  private final MessageDigest zeroPointDigest = DigestEncoding.newDigest();
  private long nextRow;
  private int groupsPerRow = -1;

  TensorDigest(BlockRow first) {
    this.first = first;
    if (first.shape().length != 2) {
      throw invalid("shape " + Arrays.toString(first.shape()) + " is not 2-D");
    }
    try {
      shardBytesPerRow = StoredTensors.shardBytesPerRow(first.qdataDtype(), first.shape()[1]);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    qdataDigests = new MessageDigest[Math.max(1, shardBytesPerRow.length)];
    for (int index = 0; index < qdataDigests.length; index++) {
      qdataDigests[index] = DigestEncoding.newDigest();
    }
  }

  /** Adds the next block; its first row must be the row after the previous block's last. */
  void add(BlockRow block) {
    requireSameWeight(block);
    if (block.rowStart() != nextRow) {
      String seen = nextRow == 0 ? "no rows" : "rows [0, " + nextRow + ")";
      throw invalid("a block at rows [" + block.rowStart() + ", " + (block.rowStart() + block.rowCount())
          + ") follows " + seen + ", expected a block starting at row " + nextRow
          + (block.rowStart() < nextRow ? " (rows are duplicated)" : " (rows are missing)"));
    }
    if (block.rowCount() < 1) {
      throw invalid("the block at row " + block.rowStart() + " has row_count " + block.rowCount());
    }
    addQdata(block);
    addQparams(block);
    nextRow += block.rowCount();
  }

  /** Checks that every row arrived and appends this weight's record to {@code config}. */
  void finish(MessageDigest config) {
    long outFeatures = first.shape()[0];
    if (nextRow != outFeatures) {
      throw invalid("the blocks cover rows [0, " + nextRow + ") of " + outFeatures + " (rows are missing)");
    }
    DigestEncoding.putString(config, first.tensor());
    DigestEncoding.putLongs(config, first.shape());
    DigestEncoding.putInts(config, first.blockSize());
    config.update((byte) qdataDigests.length);
    for (MessageDigest qdata : qdataDigests) {
      config.update(qdata.digest());
    }
    config.update(scaleDigest.digest());
    config.update((byte) (first.zeroPoint() == null ? 0 : 1));
    config.update(zeroPointDigest.digest());
    DigestEncoding.putString(config, first.qdataDtype());
    DigestEncoding.putString(config, first.scaleDtype());
    DigestEncoding.putString(config, Objects.requireNonNullElse(first.zeroPointDtype(), ""));
  }

  private void addQdata(BlockRow block) {
    byte[] qdata = block.qdata();
    if (shardBytesPerRow.length == 0) {
      qdataDigests[0].update(qdata);
      return;
    }
    long expected = (long) block.rowCount() * Arrays.stream(shardBytesPerRow).sum();
    if (qdata.length != expected) {
      throw invalid("the block at row " + block.rowStart() + " has " + qdata.length + " qdata bytes, expected "
          + expected + " for " + block.rowCount() + " rows of shards of " + Arrays.toString(shardBytesPerRow)
          + " bytes per row");
    }
    int offset = 0;
    for (int shard = 0; shard < shardBytesPerRow.length; shard++) {
      int length = block.rowCount() * shardBytesPerRow[shard];
      qdataDigests[shard].update(qdata, offset, length);
      offset += length;
    }
  }

  private void addQparams(BlockRow block) {
    if ((block.zeroPoint() == null) != (first.zeroPoint() == null)) {
      throw invalid("the block at row " + block.rowStart() + " has " + (block.zeroPoint() == null ? "no " : "a ")
          + "zero_point, unlike the block at row " + first.rowStart());
    }
    if (block.perTensorScale()) {
      // A per-tensor scale is repeated in every block, so it enters the digest once.
      if (!Arrays.equals(block.scale(), first.scale()) || !Arrays.equals(block.zeroPoint(), first.zeroPoint())) {
        throw invalid("the per-tensor scale or zero_point of the block at row " + block.rowStart()
            + " differs from that of the block at row " + first.rowStart());
      }
      if (block == first) {
        DigestEncoding.putFloatsLittleEndian(scaleDigest, block.scale());
        if (block.zeroPoint() != null) {
          DigestEncoding.putFloatsLittleEndian(zeroPointDigest, block.zeroPoint());
        }
      }
      return;
    }
    requireRowMajor("scale", block.scale(), block);
    DigestEncoding.putFloatsLittleEndian(scaleDigest, block.scale());
    if (block.zeroPoint() != null) {
      requireRowMajor("zero_point", block.zeroPoint(), block);
      DigestEncoding.putFloatsLittleEndian(zeroPointDigest, block.zeroPoint());
    }
  }

  private void requireRowMajor(String column, float[] values, BlockRow block) {
    if (values.length % block.rowCount() != 0) {
      throw invalid("the block at row " + block.rowStart() + " has " + values.length + " " + column
          + " values, not a multiple of its " + block.rowCount() + " rows");
    }
    int groups = values.length / block.rowCount();
    if (groupsPerRow < 0) {
      groupsPerRow = groups;
    } else if (groups != groupsPerRow) {
      throw invalid("the block at row " + block.rowStart() + " has " + groups + " " + column
          + " values per row, earlier blocks " + groupsPerRow);
    }
  }

  private void requireSameWeight(BlockRow block) {
    boolean same = block.config().equals(first.config())
        && Arrays.equals(block.shape(), first.shape())
        && Arrays.equals(block.blockSize(), first.blockSize())
        && block.qdataDtype().equals(first.qdataDtype())
        && block.scaleDtype().equals(first.scaleDtype())
        && Objects.equals(block.zeroPointDtype(), first.zeroPointDtype());
    if (!same) {
      throw invalid("the block at row " + block.rowStart()
          + " differs from the block at row " + first.rowStart() + " in config, shape, block_size or dtypes");
    }
  }

  private IllegalArgumentException invalid(String reason) {
    return new IllegalArgumentException("config " + first.configId() + ", tensor " + first.tensor() + ": " + reason);
  }
}
