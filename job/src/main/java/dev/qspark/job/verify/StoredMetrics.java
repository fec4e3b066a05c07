package dev.qspark.job.verify;

import org.apache.spark.sql.Row;

/**
 * One row of {@code metrics/} as verify reads it: the status of a config and tensor and, for a
 * quantized tensor, the error metrics the job computed.
 *
 * @param mse null unless quantized; the same for the other metrics
 */
public record StoredMetrics(
    String configId,
    String tensor,
    String status,
    Long elements,
    Double mse,
    Double sqnrDb,
    Double maxAbsError,
    Double relativeFrobeniusError,
    Long nonFiniteCount) {

  /** The status of a tensor a config quantized. */
  public static final String QUANTIZED = "quantized";

  /** The columns of {@code metrics/} verify reads, in the order {@link #fromRow} expects them. */
  public static final String[] COLUMNS = {
    "config_id", "tensor", "status", "elements", "mse", "sqnr_db", "max_abs_error",
    "relative_frobenius_error", "non_finite_count"
  };

  /** Reads a row selected with {@link #COLUMNS}. */
  public static StoredMetrics fromRow(Row row) {
    return new StoredMetrics(row.getString(0), row.getString(1), row.getString(2), longAt(row, 3),
        doubleAt(row, 4), doubleAt(row, 5), doubleAt(row, 6), doubleAt(row, 7), longAt(row, 8));
  }

  public boolean isQuantized() {
    return QUANTIZED.equals(status);
  }

  private static Long longAt(Row row, int index) {
    return row.isNullAt(index) ? null : ((Number) row.get(index)).longValue();
  }

  private static Double doubleAt(Row row, int index) {
    return row.isNullAt(index) ? null : ((Number) row.get(index)).doubleValue();
  }
}
