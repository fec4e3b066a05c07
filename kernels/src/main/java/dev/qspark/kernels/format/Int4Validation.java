package dev.qspark.kernels.format;

import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.tinygemm.TinygemmBlocks;

/** Checks shared by the Int4 formats. */
public final class Int4Validation {

  private Int4Validation() {}

  static void requirePositiveGroupSize(int groupSize) {
    if (groupSize <= 0) {
      throw new IllegalArgumentException(
          "Invalid Int4 config: group_size " + groupSize + " must be positive");
    }
  }

  /** torchao's Int4WeightOnlyConfig logs "Skipping quantizing weight" and keeps the weight as it is. */
  static Applicability skipIndivisible(long inFeatures, int groupSize) {
    return Applicability.skip("in_features " + inFeatures + " is not divisible by group_size " + groupSize
        + ", so torchao leaves the weight unquantized");
  }

  /**
   * Rejects a group size that does not divide in_features padded to a multiple of 1024: the tinygemm
   * formats quantize the padded weight, and torchao asserts that its groups divide it.
   */
  static Applicability checkPaddedGroups(long inFeatures, int groupSize) {
    long padded = TinygemmBlocks.paddedInFeatures(inFeatures);
    if (padded % groupSize != 0) {
      return Applicability.reject("in_features " + inFeatures + " padded to " + padded
          + " is not divisible by group_size " + groupSize);
    }
    return Applicability.QUANTIZE;
  }

  /** Throws when the quantizer does not quantize the block's weight. */
  static void requireQuantized(WeightQuantizer quantizer, WeightBlock block) {
    Applicability applicability = quantizer.applicability(block.outFeatures(), block.inFeatures(), block.dtype());
    if (!applicability.isQuantized()) {
      throw new IllegalArgumentException("Cannot quantize rows [" + block.rowStart() + ", "
          + (block.rowStart() + block.rowCount()) + ") of a " + block.outFeatures() + " x " + block.inFeatures()
          + " " + block.dtype().torchName() + " weight with " + quantizer + ": " + applicability.reason());
    }
  }

  /**
   * Throws when a block's arrays do not have the sizes an Int4 format stores: {@code bytesPerRow}
   * qdata bytes per row, and one scale and zero point per group.
   */
  public static void requireBlockSizes(QuantizedBlock block, int groupSize, long bytesPerRow) {
    int rows = block.rowCount();
    int inFeatures = block.inFeatures();
    if (inFeatures % groupSize != 0 || block.groupsPerRow() != inFeatures / groupSize) {
      throw new IllegalArgumentException("Cannot dequantize: a block of in_features " + inFeatures + " has "
          + block.groupsPerRow() + " groups per row, expected " + inFeatures / groupSize + " of group_size "
          + groupSize);
    }
    long params = (long) rows * block.groupsPerRow();
    if (block.qdata().length != rows * bytesPerRow || block.scale().length != params
        || block.zeroPoint() == null || block.zeroPoint().length != params) {
      throw new IllegalArgumentException("Cannot dequantize: a block of " + rows + " rows needs "
          + rows * bytesPerRow + " qdata bytes and " + params + " scales and zero points, got "
          + block.qdata().length + " bytes, " + block.scale().length + " scales and "
          + (block.zeroPoint() == null ? "no" : String.valueOf(block.zeroPoint().length)) + " zero points");
    }
  }
}
