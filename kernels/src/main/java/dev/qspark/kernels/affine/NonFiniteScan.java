package dev.qspark.kernels.affine;

import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.NonFiniteValuesException.NonFiniteGroup;
import dev.qspark.kernels.WeightBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts NaN and infinite values per (row, group) of a block before it is quantized.
 *
 * <p>torchao's result is undefined for them: a NaN reaches the integer cast, and an infinity
 * turns the group's scale infinite. The caller rejects the weight instead.
 */
public final class NonFiniteScan {

  private NonFiniteScan() {}

  /**
   * Throws when the block holds a NaN or an infinity, listing every group that does.
   *
   * @param groupSize elements per group; the row length for per-row and per-tensor granularity
   * @throws NonFiniteValuesException naming each affected group by its row in the whole weight
   */
  public static void requireFinite(WeightBlock block, int groupSize) {
    float[] values = block.values();
    int inFeatures = block.inFeatures();
    int groupsPerRow = Math.max(1, inFeatures / groupSize);
    List<NonFiniteGroup> found = null;
    for (int row = 0; row < block.rowCount(); row++) {
      for (int group = 0; group < groupsPerRow; group++) {
        int start = row * inFeatures + group * groupSize;
        int end = group == groupsPerRow - 1 ? (row + 1) * inFeatures : start + groupSize;
        int count = 0;
        for (int i = start; i < end; i++) {
          if (!Float.isFinite(values[i])) {
            count++;
          }
        }
        if (count > 0) {
          if (found == null) {
            found = new ArrayList<>();
          }
          found.add(new NonFiniteGroup(block.rowStart() + row, group, count));
        }
      }
    }
    if (found != null) {
      throw new NonFiniteValuesException(found);
    }
  }
}
