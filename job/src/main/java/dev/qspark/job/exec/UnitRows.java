package dev.qspark.job.exec;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.WeightBlock;

/**
 * The rows of one work unit, decoded on request: from a block decoded once for several configs, or
 * straight from the file, chunk by chunk, when one config reads them.
 *
 * <p>{@link #rows} may return one of the unit's own arrays rather than a copy, so callers must not
 * modify what it returns.
 */
abstract class UnitRows {

  private final long rowStart;
  private final int rowCount;
  private final long outFeatures;
  private final int inFeatures;
  private final FloatDtype dtype;

  /** Describes the rows' place in the weight and their dtype, as a block without values would. */
  UnitRows(long rowStart, int rowCount, long outFeatures, int inFeatures, FloatDtype dtype) {
    this.rowStart = rowStart;
    this.rowCount = rowCount;
    this.outFeatures = outFeatures;
    this.inFeatures = inFeatures;
    this.dtype = dtype;
  }

  final long rowStart() {
    return rowStart;
  }

  final int rowCount() {
    return rowCount;
  }

  final long outFeatures() {
    return outFeatures;
  }

  final int inFeatures() {
    return inFeatures;
  }

  final FloatDtype dtype() {
    return dtype;
  }

  /** Decodes rows {@code [firstRow, firstRow + rows)}, counted from the unit's first row, into {@code values}. */
  abstract void decode(int firstRow, int rows, float[] values);

  /**
   * Returns the values of rows {@code [firstRow, firstRow + rows)}: {@code scratch}, which has room for
   * exactly those values, after {@link #decode} has filled it, or an array of exactly those values that
   * the unit already holds.
   */
  float[] rows(int firstRow, int rows, float[] scratch) {
    decode(firstRow, rows, scratch);
    return scratch;
  }

  /** Returns all of the unit's rows as one block. */
  abstract WeightBlock whole();

  /** Returns the rows of a block that is already decoded. */
  static UnitRows of(WeightBlock block) {
    return new UnitRows(block.rowStart(), block.rowCount(), block.outFeatures(), block.inFeatures(), block.dtype()) {
      @Override
      void decode(int firstRow, int rows, float[] values) {
        System.arraycopy(block.values(), firstRow * block.inFeatures(), values, 0, rows * block.inFeatures());
      }

      @Override
      WeightBlock whole() {
        return block;
      }
    };
  }
}
