package dev.qspark.kernels.format;

import dev.qspark.kernels.affine.QuantBounds;

/**
 * Checks of the arrays passed to {@code WeightQuantizer.fromStored}: each must have the length the
 * format stores for the block, so that a truncated or mismatched Parquet row fails with the sizes
 * instead of an {@code ArrayIndexOutOfBoundsException} deep in a dequantize loop.
 */
public final class StoredBlocks {

  private StoredBlocks() {}

  /** Throws unless the block has at least one row and one element per row. */
  public static void requireShape(String format, int rowCount, int inFeatures) {
    if (rowCount < 1 || inFeatures < 1) {
      throw new IllegalArgumentException("Cannot rebuild a stored " + format + " block of " + rowCount + " rows of "
          + inFeatures + " elements: both must be positive");
    }
  }

  /** Throws unless {@code qdata} has {@code expected} bytes. */
  public static void requireQdataLength(String format, int rowCount, int inFeatures, byte[] qdata, long expected) {
    if (qdata == null || qdata.length != expected) {
      throw new IllegalArgumentException("Cannot rebuild a stored " + format + " block of " + rowCount + " x "
          + inFeatures + ": qdata has " + (qdata == null ? "no" : String.valueOf(qdata.length))
          + " bytes, expected " + expected);
    }
  }

  /**
   * Throws unless {@code scale} has {@code expected} values, and {@code zeroPoint} has as many where
   * the format stores a zero point and is null where it does not.
   */
  public static void requireQParams(
      String format, int rowCount, float[] scale, float[] zeroPoint, long expected, boolean storesZeroPoint) {
    if (scale == null || scale.length != expected) {
      throw new IllegalArgumentException("Cannot rebuild a stored " + format + " block of " + rowCount
          + " rows: scale has " + (scale == null ? "no" : String.valueOf(scale.length)) + " values, expected "
          + expected);
    }
    if (storesZeroPoint && (zeroPoint == null || zeroPoint.length != expected)) {
      throw new IllegalArgumentException("Cannot rebuild a stored " + format + " block of " + rowCount
          + " rows: zero_point has " + (zeroPoint == null ? "no" : String.valueOf(zeroPoint.length))
          + " values, expected " + expected);
    }
    if (!storesZeroPoint && zeroPoint != null) {
      throw new IllegalArgumentException("Cannot rebuild a stored " + format + " block: the format stores no "
          + "zero_point, but " + zeroPoint.length + " values were given; pass null");
    }
  }

  /** Throws at the first unpacked value outside {@code bounds}, naming its index. */
  public static void requireInBounds(String format, byte[] qvalues, QuantBounds bounds) {
    for (int i = 0; i < qvalues.length; i++) {
      int value = bounds.valueOf(qvalues[i]);
      if (value < bounds.quantMin() || value > bounds.quantMax()) {
        throw new IllegalArgumentException("Cannot rebuild a stored " + format + " block: qdata value " + value
            + " at element " + i + " is outside [" + bounds.quantMin() + ", " + bounds.quantMax() + "]");
      }
    }
  }
}
