package dev.qspark.job.checksum;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-config SHA-256 checksums of a run's {@code quantized/} rows that depend only on the stored
 * values: not on how the rows were split into blocks, on partition or file counts, or on the order in
 * which tasks finished. Two runs of the same model and configs give the same checksums on one machine
 * or a cluster.
 *
 * <p>A config's checksum is the SHA-256 over its weights in name order (UTF-8 byte order). Each
 * weight contributes, in the encoding of {@link DigestEncoding}: its name, shape and block_size; the
 * number of stored qdata tensors and the SHA-256 of each one's bytes rebuilt from its blocks in row
 * order (UIntX bit shards separately, int4 then int2 then int1); the SHA-256 of the scale as
 * little-endian float32 {@code [out_features, groups_per_row]}, or of the one value for a per-tensor
 * scale; a zero-point flag and the SHA-256 of the zero point in the scale's layout; then the qdata,
 * scale and zero-point dtype names. The config's canonical text comes first.
 */
public final class QuantizedChecksums {

  private QuantizedChecksums() {}

  /**
   * Computes the checksum of every config in {@code rows}.
   *
   * @param rows every row of the output, ordered by config id, tensor name (UTF-8 bytes) and row start
   * @return lowercase hex SHA-256 by config id, in the order of {@code rows}
   * @throws IllegalArgumentException when rows are out of order, rows of a weight are missing or
   *     duplicated, or blocks of one weight disagree on config, shape or dtypes
   */
  public static Map<String, String> compute(Iterator<BlockRow> rows) {
    Map<String, String> checksums = new LinkedHashMap<>();
    MessageDigest config = null;
    TensorDigest tensor = null;
    BlockRow previous = null;
    while (rows.hasNext()) {
      BlockRow row = rows.next();
      boolean newConfig = previous == null || !row.configId().equals(previous.configId());
      boolean newTensor = newConfig || !row.tensor().equals(previous.tensor());
      if (previous != null) {
        requireOrdered(previous, row, newConfig, newTensor, checksums);
      }
      if (newTensor && tensor != null) {
        tensor.finish(config);
      }
      if (newConfig) {
        if (config != null) {
          checksums.put(previous.configId(), HexFormat.of().formatHex(config.digest()));
        }
        config = DigestEncoding.newDigest();
        DigestEncoding.putString(config, row.config());
      }
      if (newTensor) {
        tensor = new TensorDigest(row);
      }
      tensor.add(row);
      previous = row;
    }
    if (tensor != null) {
      tensor.finish(config);
      checksums.put(previous.configId(), HexFormat.of().formatHex(config.digest()));
    }
    return checksums;
  }

  private static void requireOrdered(
      BlockRow previous, BlockRow row, boolean newConfig, boolean newTensor, Map<String, String> done) {
    if (newConfig && done.containsKey(row.configId())) {
      throw new IllegalArgumentException("rows of config " + row.configId() + " are not contiguous;"
          + " sort by config_id, tensor and row_start");
    }
    if (!newConfig && newTensor && compareUtf8(previous.tensor(), row.tensor()) > 0) {
      throw new IllegalArgumentException("config " + row.configId() + ": tensor " + row.tensor()
          + " follows " + previous.tensor() + "; sort by config_id, tensor and row_start");
    }
  }

  /** Compares strings by their UTF-8 bytes, unsigned, as Spark sorts strings. */
  static int compareUtf8(String left, String right) {
    return Arrays.compareUnsigned(left.getBytes(StandardCharsets.UTF_8), right.getBytes(StandardCharsets.UTF_8));
  }
}
