package dev.qspark.job.exec;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Quantizes one work unit's block with one config in chunks of whole rows small enough to stay in a
 * core's cache. Each chunk's dequantized values are compared with its input while both are still
 * there, and the chunks' outputs are joined into the block's. The bytes equal those of quantizing
 * the block at once ({@link WeightQuantizer#join}), and the error sums equal those of comparing it
 * at once ({@link BlockSumsBuilder}). A unit spans many megabytes, so quantizing it whole would
 * read its values from memory once to quantize and again, with the dequantized copy, to compare.
 *
 * <p>Not thread-safe: one instance per task, reused for every unit and config of the task.
 */
final class ChunkedQuantization {

  /** Values per chunk: 128 KiB of floats, which with the chunk's outputs fits a core's L2 cache. */
  static final int CHUNK_VALUES_DEFAULT = 1 << 15;

  /**
   * The block a config made of a unit, and its error sums without the stored bytes. A block joined
   * from chunks of a packed format has no {@code qvalues}.
   *
   * @param sums the error sums so far; {@link BlockSumsBuilder#build} adds the stored bytes
   */
  record Result(QuantizedBlock block, BlockSumsBuilder sums) {}

  private final int chunkValues;
  private final KernelPath path;
  private float[] chunk = new float[0];
  private float[] dequantized = new float[0];

  ChunkedQuantization(int chunkValues, KernelPath path) {
    if (chunkValues < 1) {
      throw new IllegalArgumentException("Invalid chunk size " + chunkValues + ": expected at least one value");
    }
    this.chunkValues = chunkValues;
    this.path = path;
  }

  /**
   * Quantizes {@code block} as {@code quantizer.quantize(block, range)} does, and compares it.
   *
   * @throws NonFiniteValuesException as {@link WeightQuantizer#quantize} throws it for the whole block
   * @throws IllegalArgumentException as {@link WeightQuantizer#quantize} throws it
   */
  Result quantize(WeightQuantizer quantizer, WeightBlock block, TensorRange range) {
    return quantize(quantizer, UnitRows.of(block), range);
  }

  /**
   * Decodes every row of {@code unit} once, into the chunks that {@link #quantize(WeightQuantizer,
   * UnitRows, TensorRange)} quantizes, so that several configs quantize the same chunks without copies.
   */
  UnitRows decodeOnce(UnitRows unit) {
    return new DecodedChunks(unit, rowsPerChunk(unit.inFeatures()));
  }

  /** Quantizes and compares a unit's rows as {@link #quantize(WeightQuantizer, WeightBlock, TensorRange)} does. */
  Result quantize(WeightQuantizer quantizer, UnitRows unit, TensorRange range) {
    int inFeatures = unit.inFeatures();
    int rowsPerChunk = rowsPerChunk(inFeatures);
    FloatDtype dtype = unit.dtype();
    BlockSumsBuilder sums = new BlockSumsBuilder(path);
    if (unit.rowCount() <= rowsPerChunk) {
      WeightBlock block = unit.whole();
      QuantizedBlock quantized = quantizer.quantize(block, range);
      sums.add(block.values(), quantizer.dequantize(quantized, dtype, dequantized(block.values().length)));
      return new Result(quantized, sums);
    }
    List<QuantizedBlock> parts = new ArrayList<>();
    for (int row = 0; row < unit.rowCount(); row += rowsPerChunk) {
      int rows = Math.min(rowsPerChunk, unit.rowCount() - row);
      float[] values = unit.rows(row, rows, chunk(rows * inFeatures));
      WeightBlock part = new WeightBlock(values, unit.rowStart() + row, rows, unit.outFeatures(), inFeatures, dtype);
      QuantizedBlock quantized;
      try {
        quantized = quantizer.quantize(part, range);
      } catch (NonFiniteValuesException e) {
        // The whole unit's exception counts and names every non-finite value, not this chunk's.
        quantizer.quantize(unit.whole(), range);
        throw e;
      }
      sums.add(values, quantizer.dequantize(quantized, dtype, dequantized(values.length)));
      // The row written needs the stored bytes alone: the packed formats' unpacked values are not joined.
      parts.add(quantized.withoutQvalues());
    }
    return new Result(quantizer.join(parts), sums);
  }

  /** Returns the rows of a chunk: as many whole rows as fit in the chunk's values, at least one. */
  private int rowsPerChunk(int inFeatures) {
    return Math.max(1, chunkValues / inFeatures);
  }

  /** Returns the chunk buffer, reused while chunks have the same length. */
  private float[] chunk(int length) {
    if (chunk.length != length) {
      chunk = new float[length];
    }
    return chunk;
  }

  /** Returns the buffer for a chunk's dequantized values, reused as {@link #chunk} is. */
  private float[] dequantized(int length) {
    if (dequantized.length != length) {
      dequantized = new float[length];
    }
    return dequantized;
  }
}
