package dev.qspark.job.report;

import java.io.Serializable;
import org.apache.spark.sql.Row;

/**
 * One row of a sweep's {@code metrics/} table: the outcome of one config on one tensor.
 *
 * @param layer the layer number, or null outside numbered layers
 * @param status {@code quantized}, {@code kept}, {@code skipped} or {@code rejected}
 * @param storedBytes qdata plus qparams as stored; null unless quantized
 * @param sqnrDb signal-to-quantization-noise ratio in dB; null unless quantized, infinite for an
 *     exact result
 */
public record MetricRow(
    String configId,
    String config,
    String tensor,
    Integer layer,
    String module,
    String moduleType,
    String status,
    String reason,
    long elements,
    long bytesIn,
    Long storedBytes,
    Double storedBitsPerWeight,
    Double nominalBitsPerWeight,
    Double mse,
    Double sqnrDb,
    Double maxAbsError,
    Double relativeFrobeniusError,
    Long nonFiniteCount)
    implements Serializable {

  public static final String QUANTIZED = "quantized";
  public static final String KEPT = "kept";
  public static final String SKIPPED = "skipped";
  public static final String REJECTED = "rejected";

  public boolean isQuantized() {
    return QUANTIZED.equals(status);
  }

  /** True for a tensor the config was asked to quantize, whatever the outcome: every status but kept. */
  public boolean isTarget() {
    return !KEPT.equals(status);
  }

  /**
   * The tensor's module FQN as torchao names modules: the tensor name without its parameter
   * segment, e.g. {@code model.layers.0.self_attn.q_proj} for {@code ...q_proj.weight}.
   */
  public String moduleFqn() {
    int lastDot = tensor.lastIndexOf('.');
    return lastDot < 0 ? tensor : tensor.substring(0, lastDot);
  }

  /** Bytes of this tensor in a model quantized with the config: stored bytes, or the input bytes when not quantized. */
  public long outputBytes() {
    return isQuantized() && storedBytes != null ? storedBytes : bytesIn;
  }

  /** Reads a row of the {@code metrics/} table by column name. */
  public static MetricRow fromRow(Row row) {
    return new MetricRow(
        row.getAs("config_id"),
        row.getAs("config"),
        row.getAs("tensor"),
        intOrNull(row, "layer"),
        row.getAs("module"),
        row.getAs("module_type"),
        row.getAs("status"),
        row.getAs("reason"),
        longOrZero(row, "elements"),
        longOrZero(row, "bytes_in"),
        longOrNull(row, "stored_bytes"),
        doubleOrNull(row, "stored_bits_per_weight"),
        doubleOrNull(row, "nominal_bits_per_weight"),
        doubleOrNull(row, "mse"),
        doubleOrNull(row, "sqnr_db"),
        doubleOrNull(row, "max_abs_error"),
        doubleOrNull(row, "relative_frobenius_error"),
        longOrNull(row, "non_finite_count"));
  }

  private static Integer intOrNull(Row row, String column) {
    Number value = row.getAs(column);
    return value == null ? null : value.intValue();
  }

  private static Long longOrNull(Row row, String column) {
    Number value = row.getAs(column);
    return value == null ? null : value.longValue();
  }

  private static long longOrZero(Row row, String column) {
    Number value = row.getAs(column);
    return value == null ? 0L : value.longValue();
  }

  private static Double doubleOrNull(Row row, String column) {
    Number value = row.getAs(column);
    return value == null ? null : value.doubleValue();
  }
}
