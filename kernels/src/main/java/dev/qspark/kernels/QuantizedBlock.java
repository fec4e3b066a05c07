package dev.qspark.kernels;

/**
 * What a config stores for one block of rows.
 *
 * <p>The layout is the same for every format so that a whole tensor can be rebuilt by concatenating
 * its blocks in row order:
 * <ul>
 *   <li>{@code qdata}: for each tensor the format stores (one, or the UIntX bit shards in the order
 *       int4, int2, int1), that tensor's packed bytes for the block's rows, one after the other.
 *       Tinygemm formats keep each row's padding of in_features; rows that torchao adds only to pad
 *       out_features are not stored, since they are zero rows.
 *   <li>{@code scale}, {@code zeroPoint}: {@code [rowCount, groupsPerRow]} row-major, never
 *       transposed, without padding groups. A per-tensor scale is one value, repeated in every block.
 * </ul>
 *
 * @param rowCount rows in the block
 * @param inFeatures elements per row
 * @param qvalues the quantized integers, unpacked, {@code [rowCount, inFeatures]} row-major; null in a
 *     block kept for its stored bytes alone ({@link #withoutQvalues})
 * @param qdata the stored bytes of the block, packed as the format stores them
 * @param scale the stored scales, as exact float32 values of the scale dtype
 * @param zeroPoint the stored zero points as float32 values, or null where the format stores none
 * @param groupsPerRow scales per row (1 for per-row and per-tensor granularity)
 */
public record QuantizedBlock(
    int rowCount, int inFeatures, byte[] qvalues, byte[] qdata, float[] scale, float[] zeroPoint, int groupsPerRow) {

  /**
   * Returns this block without {@code qvalues} where they are a separate array from {@code qdata} (the
   * packed formats), so that joining such blocks concatenates only what is stored. Formats whose
   * {@code qdata} is {@code qvalues} keep them.
   */
  public QuantizedBlock withoutQvalues() {
    if (qvalues == null || qvalues == qdata) {
      return this;
    }
    return new QuantizedBlock(rowCount, inFeatures, null, qdata, scale, zeroPoint, groupsPerRow);
  }
}
