package dev.qspark.job.exec;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.WeightBlock;

/**
 * The rows of one work unit, decoded on request: from a block decoded once for several configs, or
 * straight from the file, chunk by chunk, when one config reads them.
 */
interface UnitRows {

  /** Returns the rows' place in the weight and their dtype, as a block without values would. */
  long rowStart();

  int rowCount();

  long outFeatures();

  int inFeatures();

  FloatDtype dtype();

  /** Decodes rows {@code [firstRow, firstRow + rows)}, counted from the unit's first row, into {@code values}. */
  void decode(int firstRow, int rows, float[] values);

  /** Returns all of the unit's rows as one block. */
  WeightBlock whole();

  /** Returns the rows of a block that is already decoded. */
  static UnitRows of(WeightBlock block) {
    return new UnitRows() {
      @Override
      public long rowStart() {
        return block.rowStart();
      }

      @Override
      public int rowCount() {
        return block.rowCount();
      }

      @Override
      public long outFeatures() {
        return block.outFeatures();
      }

      @Override
      public int inFeatures() {
        return block.inFeatures();
      }

      @Override
      public FloatDtype dtype() {
        return block.dtype();
      }

      @Override
      public void decode(int firstRow, int rows, float[] values) {
        System.arraycopy(block.values(), firstRow * block.inFeatures(), values, 0, rows * block.inFeatures());
      }

      @Override
      public WeightBlock whole() {
        return block;
      }
    };
  }
}
