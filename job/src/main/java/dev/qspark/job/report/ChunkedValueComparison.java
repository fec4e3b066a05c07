package dev.qspark.job.report;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightQuantizer;

/**
 * Dequantizes two versions of a block and compares them in chunks of whole rows that stay in a
 * core's cache. A stored block spans up to tens of megabytes of values (the job's work unit), so
 * dequantizing it at once allocates two float arrays that large and reads them back from memory to
 * compare. Every format quantizes rows independently, so a chunk of rows, cut with {@link
 * WeightQuantizer#slice}, dequantizes to the same values as those rows of the whole block.
 */
final class ChunkedValueComparison {

  /** Values per chunk: 128 KiB of floats per version, which fits a core's L2 cache with the other version's. */
  static final int CHUNK_VALUES = 1 << 15;

  private ChunkedValueComparison() {}

  static ValueDifferences compare(WeightQuantizer v1Quantizer, QuantizedBlock v1, WeightQuantizer v2Quantizer,
      QuantizedBlock v2, FloatDtype dtype, int chunkValues) {
    int rowCount = v1.rowCount();
    int rowsPerChunk = Math.max(1, chunkValues / Math.max(1, v1.inFeatures()));
    if (rowCount <= rowsPerChunk || v2.rowCount() != rowCount) {
      return ValueDifferences.of(v1Quantizer.dequantize(v1, dtype), v2Quantizer.dequantize(v2, dtype));
    }
    long differing = 0;
    double maxAbs = 0;
    for (int row = 0; row < rowCount; row += rowsPerChunk) {
      int rows = Math.min(rowsPerChunk, rowCount - row);
      ValueDifferences chunk = ValueDifferences.of(
          v1Quantizer.dequantize(v1Quantizer.slice(v1, row, rows), dtype),
          v2Quantizer.dequantize(v2Quantizer.slice(v2, row, rows), dtype));
      differing += chunk.differing();
      maxAbs = Math.max(maxAbs, chunk.maxAbsDifference());
    }
    return new ValueDifferences(differing, maxAbs);
  }
}
