package dev.qspark.kernels;

import java.util.Arrays;
import java.util.List;

/**
 * Joins blocks of consecutive rows of one weight into one block, as if the rows had been quantized
 * together, and slices a block into blocks of fewer rows. Rows are quantized independently in every
 * format, and a block stores each of its tensors row-major, so joining is concatenation: of {@code
 * qvalues}, of each stored tensor's bytes in {@code qdata}, and of the scales and zero points, which
 * are {@code [rows, groups]}. A per-tensor scale and zero point are the same in every block and are
 * kept once. Blocks without {@code qvalues} ({@link QuantizedBlock#withoutQvalues}) join into a block
 * without them.
 */
public final class RowBlocks {

  private static final int[] ONE_STORED_TENSOR = {1};

  private RowBlocks() {}

  /**
   * Joins blocks whose {@code qdata} is one stored tensor, rows one after the other.
   *
   * @param perTensor whether each block holds the one scale and zero point of the whole weight
   */
  public static QuantizedBlock join(List<QuantizedBlock> parts, boolean perTensor) {
    return join(parts, perTensor, null);
  }

  /**
   * Joins blocks whose {@code qdata} holds several stored tensors one after the other, each of
   * {@code shardBits[s]} bits per value, rows one after the other within each.
   *
   * @param shardBits bits per value of each stored tensor, in {@code qdata} order; null for one tensor
   */
  public static QuantizedBlock join(List<QuantizedBlock> parts, boolean perTensor, int[] shardBits) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("Cannot join an empty list of blocks");
    }
    QuantizedBlock first = parts.get(0);
    if (parts.size() == 1) {
      return first;
    }

    int inFeatures = first.inFeatures();
    int rows = 0;
    int qdataBytes = 0;
    int params = 0;
    for (QuantizedBlock part : parts) {
      if (part.inFeatures() != inFeatures || part.groupsPerRow() != first.groupsPerRow()
          || (part.zeroPoint() == null) != (first.zeroPoint() == null)) {
        throw new IllegalArgumentException("Cannot join blocks of rows of " + part.inFeatures() + " values in "
            + part.groupsPerRow() + " groups with blocks of rows of " + inFeatures + " in " + first.groupsPerRow());
      }
      rows += part.rowCount();
      qdataBytes += part.qdata().length;
      params += part.scale().length;
    }

    long withQvalues = parts.stream().filter(part -> part.qvalues() != null).count();
    if (withQvalues != 0 && withQvalues != parts.size()) {
      throw new IllegalArgumentException("Cannot join blocks with qvalues and blocks without them");
    }
    byte[] qvalues = withQvalues == 0 ? null : joinQvalues(parts, Math.multiplyExact(rows, inFeatures));
    // Formats that store one value per byte return qvalues as qdata; the joined block shares them too.
    boolean qdataIsQvalues = parts.stream().allMatch(part -> part.qdata() == part.qvalues());
    byte[] qdata = qdataIsQvalues
        ? qvalues
        : joinQdata(parts, qdataBytes, shardBits == null ? ONE_STORED_TENSOR : shardBits);
    float[] scale = perTensor ? first.scale() : joinParams(parts, params, false);
    float[] zeroPoint = first.zeroPoint() == null || perTensor ? first.zeroPoint() : joinParams(parts, params, true);
    return new QuantizedBlock(rows, inFeatures, qvalues, qdata, scale, zeroPoint, first.groupsPerRow());
  }

  private static byte[] joinQvalues(List<QuantizedBlock> parts, int length) {
    byte[] qvalues = new byte[length];
    int offset = 0;
    for (QuantizedBlock part : parts) {
      System.arraycopy(part.qvalues(), 0, qvalues, offset, part.qvalues().length);
      offset += part.qvalues().length;
    }
    return qvalues;
  }

  /**
   * Returns rows {@code [start, start + rows)} of a block as the block of those rows alone, the
   * inverse of {@link #join}. A block without {@code qvalues} (a stored block read back for its
   * {@code qdata} alone) gives slices without them.
   *
   * @param shardBits bits per value of each stored tensor, in {@code qdata} order; null for one tensor
   */
  public static QuantizedBlock slice(QuantizedBlock block, int start, int rows, boolean perTensor, int[] shardBits) {
    if (start < 0 || rows < 1 || start + rows > block.rowCount()) {
      throw new IllegalArgumentException("Cannot slice rows [" + start + ", " + (start + rows) + ") of a block of "
          + block.rowCount() + " rows");
    }
    int inFeatures = block.inFeatures();
    int[] bits = shardBits == null ? ONE_STORED_TENSOR : shardBits;
    byte[] qvalues = block.qvalues() == null
        ? null
        : Arrays.copyOfRange(block.qvalues(), start * inFeatures, (start + rows) * inFeatures);
    byte[] qdata = block.qdata() == block.qvalues() ? qvalues : sliceQdata(block, start, rows, bits);
    int groups = block.groupsPerRow();
    float[] scale = perTensor
        ? block.scale()
        : Arrays.copyOfRange(block.scale(), start * groups, (start + rows) * groups);
    float[] zeroPoint = perTensor || block.zeroPoint() == null
        ? block.zeroPoint()
        : Arrays.copyOfRange(block.zeroPoint(), start * groups, (start + rows) * groups);
    return new QuantizedBlock(rows, inFeatures, qvalues, qdata, scale, zeroPoint, groups);
  }

  /** Slices each stored tensor of {@code qdata} to the rows, keeping the tensors in order. */
  private static byte[] sliceQdata(QuantizedBlock block, int start, int rows, int[] shardBits) {
    int bitsPerValue = Arrays.stream(shardBits).sum();
    int[] bytesPerRow = new int[shardBits.length];
    for (int shard = 0; shard < shardBits.length; shard++) {
      int shardBytes = shardLength(block, shardBits[shard], bitsPerValue);
      if (shardBytes % block.rowCount() != 0) {
        throw new IllegalArgumentException("Cannot slice a stored tensor of " + shardBytes + " bytes into "
            + block.rowCount() + " rows of whole bytes");
      }
      bytesPerRow[shard] = shardBytes / block.rowCount();
    }

    byte[] qdata = new byte[rows * Arrays.stream(bytesPerRow).sum()];
    int shardStart = 0;
    int destination = 0;
    for (int perRow : bytesPerRow) {
      System.arraycopy(block.qdata(), shardStart + start * perRow, qdata, destination, rows * perRow);
      shardStart += block.rowCount() * perRow;
      destination += rows * perRow;
    }
    return qdata;
  }

  /**
   * Concatenates each stored tensor across the blocks. A block's share of stored tensor {@code s}
   * is its {@code qdata} length times {@code shardBits[s] / sum(shardBits)}, since every tensor has
   * one value per weight value.
   */
  private static byte[] joinQdata(List<QuantizedBlock> parts, int totalBytes, int[] shardBits) {
    int bitsPerValue = 0;
    for (int bits : shardBits) {
      bitsPerValue += bits;
    }
    byte[] qdata = new byte[totalBytes];
    int destination = 0;
    for (int shard = 0; shard < shardBits.length; shard++) {
      for (QuantizedBlock part : parts) {
        int shardStart = 0;
        for (int earlier = 0; earlier < shard; earlier++) {
          shardStart += shardLength(part, shardBits[earlier], bitsPerValue);
        }
        int length = shardLength(part, shardBits[shard], bitsPerValue);
        System.arraycopy(part.qdata(), shardStart, qdata, destination, length);
        destination += length;
      }
    }
    return qdata;
  }

  private static int shardLength(QuantizedBlock part, int bits, int bitsPerValue) {
    long length = (long) part.qdata().length * bits;
    if (length % bitsPerValue != 0) {
      throw new IllegalArgumentException("Cannot split " + part.qdata().length + " bytes of qdata into stored"
          + " tensors of " + bits + " of " + bitsPerValue + " bits per value");
    }
    return (int) (length / bitsPerValue);
  }

  private static float[] joinParams(List<QuantizedBlock> parts, int total, boolean zeroPoints) {
    float[] joined = new float[total];
    int offset = 0;
    for (QuantizedBlock part : parts) {
      float[] params = zeroPoints ? part.zeroPoint() : part.scale();
      System.arraycopy(params, 0, joined, offset, params.length);
      offset += params.length;
    }
    return joined;
  }
}
