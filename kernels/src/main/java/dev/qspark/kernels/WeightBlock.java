package dev.qspark.kernels;

/**
 * A block of whole rows of a 2-D weight {@code [out_features, in_features]}.
 *
 * @param values the block's {@code rowCount * inFeatures} values, row-major; each is the exact
 *     float32 value of a number of {@code dtype}
 * @param rowStart index of the block's first row in the whole weight
 * @param rowCount rows in the block
 * @param outFeatures rows of the whole weight
 * @param inFeatures elements per row
 * @param dtype the weight's dtype in the checkpoint
 */
public record WeightBlock(
    float[] values, long rowStart, int rowCount, long outFeatures, int inFeatures, FloatDtype dtype) {

  public WeightBlock {
    if ((long) rowCount * inFeatures != values.length) {
      throw new IllegalArgumentException(
          "Invalid weight block: " + rowCount + " x " + inFeatures + " values expected, got " + values.length);
    }
    if (rowStart < 0 || rowStart + rowCount > outFeatures) {
      throw new IllegalArgumentException(
          "Invalid weight block: rows [" + rowStart + ", " + (rowStart + rowCount) + ") outside a weight of "
              + outFeatures + " rows");
    }
  }

  /** A block that is the whole weight. */
  public static WeightBlock wholeTensor(float[] values, int outFeatures, int inFeatures, FloatDtype dtype) {
    return new WeightBlock(values, 0, outFeatures, outFeatures, inFeatures, dtype);
  }
}
