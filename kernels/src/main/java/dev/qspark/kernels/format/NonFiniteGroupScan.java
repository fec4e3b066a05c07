package dev.qspark.kernels.format;

import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.NonFiniteValuesException.NonFiniteGroup;
import dev.qspark.kernels.WeightBlock;
import java.util.ArrayList;
import java.util.List;

/** Counts NaN and infinite values per (row, group) of a block before it is quantized. */
final class NonFiniteGroupScan {

  private NonFiniteGroupScan() {}

  /**
   * Throws when any group of the block contains NaN or an infinity, since torchao's result for such a
   * group is undefined (its min, max and scale become non-finite and NaN is cast to an integer).
   *
   * @throws NonFiniteValuesException listing every group with non-finite values
   */
  static void requireFinite(WeightBlock block, int groupSize) {
    float[] values = block.values();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;
    List<NonFiniteGroup> groups = null;
    for (int row = 0; row < block.rowCount(); row++) {
      int rowOffset = row * inFeatures;
      for (int group = 0; group < groupsPerRow; group++) {
        int start = rowOffset + group * groupSize;
        int count = 0;
        for (int i = start; i < start + groupSize; i++) {
          if (!Float.isFinite(values[i])) {
            count++;
          }
        }
        if (count > 0) {
          if (groups == null) {
            groups = new ArrayList<>();
          }
          groups.add(new NonFiniteGroup(block.rowStart() + row, group, count));
        }
      }
    }
    if (groups != null) {
      throw new NonFiniteValuesException(groups);
    }
  }
}
