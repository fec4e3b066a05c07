package dev.qspark.job.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares the metrics recomputed from the stored blocks with the stored {@code metrics/} rows, on
 * the driver. Counts and the max absolute error must be equal; the sums-based metrics may differ by
 * a relative {@value #RELATIVE_TOLERANCE}, because the job may sum the blocks in another order.
 * Also checks that the blocks of each quantized tensor cover its rows exactly once and that tensors
 * in another status have no blocks.
 */
public final class MetricsComparison {

  /** Largest accepted relative difference of mse, sqnr_db and relative_frobenius_error. */
  public static final double RELATIVE_TOLERANCE = 1e-9;

  private MetricsComparison() {}

  /**
   * Returns one result per config id, in id order.
   *
   * @param outFeatures rows of each tensor of the model, by name
   */
  public static List<ConfigVerification> compare(
      List<BlockCheck> checks, List<StoredMetrics> metrics, Map<String, Long> outFeatures) {
    Map<String, Map<String, List<BlockCheck>>> blocks = new TreeMap<>();
    for (BlockCheck check : checks) {
      blocks.computeIfAbsent(check.configId(), id -> new TreeMap<>())
          .computeIfAbsent(check.tensor(), name -> new ArrayList<>())
          .add(check);
    }
    Map<String, ConfigVerification.Builder> results = new TreeMap<>();
    for (StoredMetrics stored : metrics) {
      ConfigVerification.Builder result =
          results.computeIfAbsent(stored.configId(), ConfigVerification.Builder::new);
      Map<String, List<BlockCheck>> configBlocks = blocks.get(stored.configId());
      List<BlockCheck> tensorBlocks = configBlocks == null ? null : configBlocks.remove(stored.tensor());
      if (!stored.isQuantized()) {
        result.countOther();
        if (tensorBlocks != null) {
          result.difference(stored.tensor() + ": status " + stored.status() + " in metrics/, but "
              + tensorBlocks.size() + " blocks in quantized/");
        }
        continue;
      }
      result.countQuantized(tensorBlocks == null ? 0 : tensorBlocks.size());
      compareTensor(stored, tensorBlocks, outFeatures.get(stored.tensor()), result);
    }
    blocks.forEach((configId, byTensor) -> byTensor.forEach((tensor, tensorBlocks) ->
        results.computeIfAbsent(configId, ConfigVerification.Builder::new)
            .difference(tensor + ": " + tensorBlocks.size() + " blocks in quantized/, but no row in metrics/")));

    List<ConfigVerification> verifications = new ArrayList<>();
    for (ConfigVerification.Builder builder : results.values()) {
      verifications.add(builder.build());
    }
    return verifications;
  }

  private static void compareTensor(
      StoredMetrics stored, List<BlockCheck> tensorBlocks, Long outFeatures, ConfigVerification.Builder result) {
    String tensor = stored.tensor();
    if (tensorBlocks == null) {
      result.difference(tensor + ": quantized in metrics/, but no blocks in quantized/");
      return;
    }
    if (outFeatures == null) {
      result.difference(tensor + ": not found in the model");
      return;
    }
    tensorBlocks.sort(Comparator.comparingLong(BlockCheck::rowStart));
    ErrorSums sums = ErrorSums.EMPTY;
    long nextRow = 0;
    for (BlockCheck block : tensorBlocks) {
      if (block.rowStart() != nextRow) {
        result.difference(tensor + ": blocks cover rows up to " + nextRow + ", then a block starts at row "
            + block.rowStart());
        return;
      }
      if (block.failed()) {
        result.difference(tensor + ": block at row " + block.rowStart() + ": " + block.failure());
        return;
      }
      nextRow += block.rowCount();
      sums = sums.merge(block.sums());
    }
    if (nextRow != outFeatures) {
      result.difference(tensor + ": blocks cover " + nextRow + " of its " + outFeatures + " rows");
      return;
    }
    compareExact(result, tensor, "elements", stored.elements(), sums.elements());
    compareExact(result, tensor, "non_finite_count", stored.nonFiniteCount(), sums.nonFiniteCount());
    compareExact(result, tensor, "max_abs_error", stored.maxAbsError(), sums.maxAbsError());
    compareRelative(result, tensor, "mse", stored.mse(), sums.mse());
    compareRelative(result, tensor, "sqnr_db", stored.sqnrDb(), sums.sqnrDb());
    compareRelative(result, tensor, "relative_frobenius_error", stored.relativeFrobeniusError(),
        sums.relativeFrobeniusError());
  }

  private static void compareExact(
      ConfigVerification.Builder result, String tensor, String column, Object stored, Object recomputed) {
    if (!Objects.equals(stored, recomputed)) {
      result.difference(tensor + ": " + column + " " + stored + " in metrics/, recomputed " + recomputed);
    }
  }

  private static void compareRelative(
      ConfigVerification.Builder result, String tensor, String column, Double stored, double recomputed) {
    if (stored == null || !withinTolerance(stored, recomputed)) {
      result.difference(tensor + ": " + column + " " + stored + " in metrics/, recomputed " + recomputed);
    }
  }

  /** True when both are the same infinity or NaN, or differ by at most the relative tolerance. */
  static boolean withinTolerance(double stored, double recomputed) {
    if (Double.isNaN(stored) || Double.isNaN(recomputed) || Double.isInfinite(stored)
        || Double.isInfinite(recomputed)) {
      return Double.compare(stored, recomputed) == 0;
    }
    double scale = Math.max(Math.abs(stored), Math.abs(recomputed));
    return Math.abs(stored - recomputed) <= RELATIVE_TOLERANCE * scale;
  }
}
