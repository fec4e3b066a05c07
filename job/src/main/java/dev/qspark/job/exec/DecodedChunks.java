package dev.qspark.job.exec;

import dev.qspark.kernels.WeightBlock;

/**
 * A work unit decoded once for several configs, into one array per chunk of rows that {@link
 * ChunkedQuantization} quantizes. Each config quantizes these arrays directly. A unit decoded into
 * one array would instead be copied out chunk by chunk for every config. Separate arrays also spare
 * the heap one allocation of the whole unit.
 */
final class DecodedChunks extends UnitRows {

  private final int rowsPerChunk;
  private final float[][] chunks;

  /** Decodes every row of {@code source}, {@code rowsPerChunk} rows at a time. */
  DecodedChunks(UnitRows source, int rowsPerChunk) {
    super(source.rowStart(), source.rowCount(), source.outFeatures(), source.inFeatures(), source.dtype());
    if (rowsPerChunk < 1) {
      throw new IllegalArgumentException("Invalid chunk of " + rowsPerChunk + " rows: expected at least one row");
    }
    this.rowsPerChunk = rowsPerChunk;
    int count = (source.rowCount() + rowsPerChunk - 1) / rowsPerChunk;
    chunks = new float[count][];
    for (int c = 0; c < count; c++) {
      int rows = rowsOfChunk(c);
      chunks[c] = new float[rows * inFeatures()];
      source.decode(c * rowsPerChunk, rows, chunks[c]);
    }
  }

  @Override
  void decode(int firstRow, int rows, float[] values) {
    int inFeatures = inFeatures();
    int copied = 0;
    while (copied < rows) {
      int row = firstRow + copied;
      int chunk = row / rowsPerChunk;
      int rowInChunk = row - chunk * rowsPerChunk;
      int count = Math.min(rows - copied, rowsOfChunk(chunk) - rowInChunk);
      System.arraycopy(chunks[chunk], rowInChunk * inFeatures, values, copied * inFeatures, count * inFeatures);
      copied += count;
    }
  }

  /** Returns the chunk's own array when the rows are exactly one chunk, else {@code scratch}, filled. */
  @Override
  float[] rows(int firstRow, int rows, float[] scratch) {
    int chunk = firstRow / rowsPerChunk;
    if (firstRow % rowsPerChunk == 0 && chunk < chunks.length && rows == rowsOfChunk(chunk)) {
      return chunks[chunk];
    }
    return super.rows(firstRow, rows, scratch);
  }

  @Override
  WeightBlock whole() {
    float[] values;
    if (chunks.length == 1) {
      values = chunks[0];
    } else {
      values = new float[rowCount() * inFeatures()];
      decode(0, rowCount(), values);
    }
    return new WeightBlock(values, rowStart(), rowCount(), outFeatures(), inFeatures(), dtype());
  }

  private int rowsOfChunk(int chunk) {
    return Math.min(rowsPerChunk, rowCount() - chunk * rowsPerChunk);
  }
}
