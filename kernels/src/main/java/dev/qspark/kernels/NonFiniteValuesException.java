package dev.qspark.kernels;

import java.util.List;

/**
 * Raised when a block contains NaN or infinite values. torchao's result is undefined for them
 * (NaN is cast to an integer), so the caller rejects the tensor for that config.
 */
public final class NonFiniteValuesException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** One group with non-finite values: its row in the whole weight, its group index in the row, and how many. */
  public record NonFiniteGroup(long row, int group, int count) {}

  private final transient List<NonFiniteGroup> groups;
  private final long totalCount;

  public NonFiniteValuesException(List<NonFiniteGroup> groups) {
    super(describe(groups));
    this.groups = List.copyOf(groups);
    this.totalCount = groups.stream().mapToLong(NonFiniteGroup::count).sum();
  }

  public List<NonFiniteGroup> groups() {
    return groups;
  }

  public long totalCount() {
    return totalCount;
  }

  private static String describe(List<NonFiniteGroup> groups) {
    long total = groups.stream().mapToLong(NonFiniteGroup::count).sum();
    NonFiniteGroup first = groups.get(0);
    return count(total, "NaN or infinite value") + " in " + count(groups.size(), "group") + ", the first in row "
        + first.row() + ", group " + first.group() + " (" + count(first.count(), "value") + ")";
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
