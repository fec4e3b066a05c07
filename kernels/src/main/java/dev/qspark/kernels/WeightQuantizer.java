package dev.qspark.kernels;

import java.io.Serializable;
import java.util.List;

/**
 * One torchao weight-only config, ready to quantize blocks of whole rows.
 *
 * <p>Implementations are immutable and serializable, so one instance is shipped to Spark executors
 * and called from several threads.
 */
public interface WeightQuantizer extends Serializable {

  /** Decides what torchao does with a weight of this shape and dtype: quantize, skip or reject. */
  Applicability applicability(long outFeatures, long inFeatures, FloatDtype dtype);

  /** True when a block needs the whole weight's {@link TensorRange} (per-tensor granularity). */
  default boolean needsTensorRange() {
    return false;
  }

  /**
   * Computes the qparams, quantizes and packs one block.
   *
   * @param tensorRange the whole weight's range when {@link #needsTensorRange()}, else ignored (may be null)
   * @throws NonFiniteValuesException when the block contains NaN or infinite values
   * @throws IllegalArgumentException when the config does not apply to the block (see {@link #applicability})
   */
  QuantizedBlock quantize(WeightBlock block, TensorRange tensorRange);

  /**
   * Dequantizes a block with its stored qparams, as torchao's dequantize does, in the weight's dtype.
   * For formats torchao has no dequantize method for (Int4Tensor and its packings), this is the
   * formula the format's matmul kernel applies to the stored params.
   */
  float[] dequantize(QuantizedBlock block, FloatDtype dtype);

  /**
   * Dequantizes as {@link #dequantize(QuantizedBlock, FloatDtype)} does, into {@code out} where the
   * format supports it, and returns the array it wrote: {@code out}, or a new array. Callers that
   * dequantize many blocks of one size reuse {@code out} and so spare an allocation per block.
   *
   * @param out an array of exactly the block's {@code rowCount * inFeatures} values, or null
   */
  default float[] dequantize(QuantizedBlock block, FloatDtype dtype, float[] out) {
    return dequantize(block, dtype);
  }

  /**
   * Rebuilds a block from what is stored for it, in the layout of {@link QuantizedBlock}: unpacks
   * {@code qdata} into {@code qvalues}, so that {@link #dequantize} returns the same values as for
   * the block {@link #quantize} returned. The arrays are used as given, not copied.
   *
   * @param qdata the packed bytes of {@code rowCount} rows, as {@link QuantizedBlock#qdata()}
   * @param scale the stored scales, {@code [rowCount, groupsPerRow]}, or one value for a per-tensor scale
   * @param zeroPoint the stored zero points in the shape of {@code scale}, or null where the format stores none
   * @throws IllegalArgumentException when an array's length does not fit the format's layout for
   *     {@code rowCount} rows of {@code inFeatures}, a zero point is missing or unexpected, or a
   *     stored integer is outside the format's range
   */
  QuantizedBlock fromStored(int rowCount, int inFeatures, byte[] qdata, float[] scale, float[] zeroPoint);

  /**
   * Joins blocks of consecutive rows of one weight, each returned by {@link #quantize}, into the
   * block that {@link #quantize} returns for all of their rows at once.
   *
   * @param parts blocks in row order, with no rows missing between them
   */
  default QuantizedBlock join(List<QuantizedBlock> parts) {
    return RowBlocks.join(parts, needsTensorRange());
  }

  /**
   * Returns rows {@code [start, start + rows)} of a block that {@link #quantize} or {@link #fromStored}
   * returned, as the block {@link #quantize} returns for those rows alone: the inverse of {@link #join}.
   */
  default QuantizedBlock slice(QuantizedBlock block, int start, int rows) {
    return RowBlocks.slice(block, start, rows, needsTensorRange(), null);
  }

  /** The stored dtypes and block size for a weight of this dtype and row length. */
  StorageInfo storageInfo(FloatDtype dtype, int inFeatures);

  /**
   * Stored dtypes as bare torch names ({@code int8}, {@code int4}, {@code uint6}, {@code bfloat16}).
   *
   * @param zeroPointDtype null where the format stores no zero point
   * @param blockSize torchao's {@code block_size} for a 2-D weight, e.g. {@code [1, 32]}
   */
  record StorageInfo(String qdataDtype, String scaleDtype, String zeroPointDtype, int[] blockSize)
      implements Serializable {}
}
