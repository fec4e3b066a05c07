package dev.qspark.job.report;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.util.Arrays;

/**
 * Dequantizes two versions of a block and compares them in chunks of whole rows that stay in a
 * core's cache. A stored block spans up to tens of megabytes of values (the job's work unit), so
 * dequantizing it at once allocates two float arrays that large and reads them back from memory to
 * compare. Every format quantizes rows independently, so a chunk of rows dequantizes to the same
 * values as those rows of the whole block.
 *
 * <p>Only blocks that store one byte per value ({@code qdata} is {@code qvalues}) with scales and
 * zero points per row, or one per block, are cut into chunks. A packed format's {@code qdata} layout
 * is the format's own, so those blocks are dequantized whole.
 */
final class ChunkedValueComparison {

  /** Values per chunk: 128 KiB of floats per version, which fits a core's L2 cache with the other version's. */
  static final int CHUNK_VALUES = 1 << 15;

  private ChunkedValueComparison() {}

  static ValueDifferences compare(WeightQuantizer v1Quantizer, QuantizedBlock v1, WeightQuantizer v2Quantizer,
      QuantizedBlock v2, FloatDtype dtype, int chunkValues) {
    int rowCount = v1.rowCount();
    int rowsPerChunk = Math.max(1, chunkValues / Math.max(1, v1.inFeatures()));
    if (rowCount <= rowsPerChunk || v2.rowCount() != rowCount || !rowsSliceable(v1) || !rowsSliceable(v2)) {
      return ValueDifferences.of(v1Quantizer.dequantize(v1, dtype), v2Quantizer.dequantize(v2, dtype));
    }
    long differing = 0;
    double maxAbs = 0;
    for (int row = 0; row < rowCount; row += rowsPerChunk) {
      int rows = Math.min(rowsPerChunk, rowCount - row);
      ValueDifferences chunk = ValueDifferences.of(
          v1Quantizer.dequantize(rowSlice(v1, row, rows), dtype), v2Quantizer.dequantize(rowSlice(v2, row, rows), dtype));
      differing += chunk.differing();
      maxAbs = Math.max(maxAbs, chunk.maxAbsDifference());
    }
    return new ValueDifferences(differing, maxAbs);
  }

  /** Whether the block stores one byte per value, and scales and zero points per row or once per block. */
  static boolean rowsSliceable(QuantizedBlock block) {
    long values = (long) block.rowCount() * block.inFeatures();
    if (block.qvalues() == null || block.qdata() != block.qvalues() || block.qdata().length != values) {
      return false;
    }
    int scales = block.scale().length;
    boolean perRow = scales == (long) block.rowCount() * block.groupsPerRow();
    return (perRow || scales == 1) && (block.zeroPoint() == null || block.zeroPoint().length == scales);
  }

  /** Rows {@code [start, start + rows)} of a block that {@link #rowsSliceable} accepts. */
  static QuantizedBlock rowSlice(QuantizedBlock block, int start, int rows) {
    int inFeatures = block.inFeatures();
    byte[] qvalues = Arrays.copyOfRange(block.qvalues(), start * inFeatures, (start + rows) * inFeatures);
    int groups = block.groupsPerRow();
    boolean perRow = block.scale().length == block.rowCount() * groups;
    float[] scale = perRow ? Arrays.copyOfRange(block.scale(), start * groups, (start + rows) * groups) : block.scale();
    float[] zeroPoint = block.zeroPoint() == null || !perRow
        ? block.zeroPoint()
        : Arrays.copyOfRange(block.zeroPoint(), start * groups, (start + rows) * groups);
    return new QuantizedBlock(rows, inFeatures, qvalues, qvalues, scale, zeroPoint, groups);
  }
}
