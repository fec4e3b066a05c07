package dev.qspark.kernels.vectors;

import dev.qspark.kernels.QuantizedBlock;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Rebuilds a whole tensor's {@link QuantizedBlock} from blocks of rows, with the block layout rules:
 * each stored tensor's rows are concatenated in block order, scales and zero points row by row,
 * and a per-tensor scale, the same in every block, is kept once.
 */
final class BlockAssembly {

  private BlockAssembly() {}

  /**
   * @param storedBytesPerRow bytes per row of each stored tensor, in the order a block's qdata holds them
   * @param perTensor whether each block stores the one per-tensor scale and zero point
   */
  static QuantizedBlock assemble(List<QuantizedBlock> blocks, List<Integer> storedBytesPerRow, boolean perTensor) {
    int inFeatures = blocks.get(0).inFeatures();
    int groupsPerRow = blocks.get(0).groupsPerRow();
    int rowCount = blocks.stream().mapToInt(QuantizedBlock::rowCount).sum();

    ByteArrayOutputStream qvalues = new ByteArrayOutputStream();
    for (QuantizedBlock block : blocks) {
      qvalues.writeBytes(block.qvalues());
    }

    ByteArrayOutputStream qdata = new ByteArrayOutputStream();
    int partOffsetPerRow = 0;
    for (int bytesPerRow : storedBytesPerRow) {
      for (QuantizedBlock block : blocks) {
        int partStart = block.rowCount() * partOffsetPerRow;
        qdata.write(block.qdata(), partStart, block.rowCount() * bytesPerRow);
      }
      partOffsetPerRow += bytesPerRow;
    }

    float[] scale = perTensor ? sameInEveryBlock(blocks, true) : concatenate(blocks, true);
    float[] zeroPoint = null;
    if (blocks.get(0).zeroPoint() != null) {
      zeroPoint = perTensor ? sameInEveryBlock(blocks, false) : concatenate(blocks, false);
    }
    return new QuantizedBlock(
        rowCount, inFeatures, qvalues.toByteArray(), qdata.toByteArray(), scale, zeroPoint, groupsPerRow);
  }

  /** Returns the rows {@code [rowStart, rowStart + rowCount)} of a row-major array. */
  static float[] rows(float[] values, int inFeatures, int rowStart, int rowCount) {
    return Arrays.copyOfRange(values, rowStart * inFeatures, (rowStart + rowCount) * inFeatures);
  }

  private static float[] concatenate(List<QuantizedBlock> blocks, boolean scale) {
    int length = blocks.stream().mapToInt(block -> (scale ? block.scale() : block.zeroPoint()).length).sum();
    float[] out = new float[length];
    int offset = 0;
    for (QuantizedBlock block : blocks) {
      float[] part = scale ? block.scale() : block.zeroPoint();
      System.arraycopy(part, 0, out, offset, part.length);
      offset += part.length;
    }
    return out;
  }

  private static float[] sameInEveryBlock(List<QuantizedBlock> blocks, boolean scale) {
    float[] first = scale ? blocks.get(0).scale() : blocks.get(0).zeroPoint();
    for (QuantizedBlock block : blocks) {
      float[] part = scale ? block.scale() : block.zeroPoint();
      if (!Arrays.equals(first, part)) {
        throw new AssertionError("Per-tensor " + (scale ? "scale" : "zero point") + " differs between blocks: "
            + Arrays.toString(first) + " and " + Arrays.toString(part));
      }
    }
    return first.clone();
  }
}
