package dev.qspark.checkpoint;

import java.io.Serializable;

/**
 * How strictly checkpoint headers are checked.
 *
 * @param maxHeaderBytes largest JSON header accepted, in bytes; the safetensors library uses
 *     100,000,000 ({@link #MAX_HEADER_BYTES_DEFAULT})
 * @param strict whether bytes of the data section that belong to no tensor are rejected. The
 *     safetensors library rejects them, but other writers may leave padding between tensors.
 */
public record CheckpointOptions(long maxHeaderBytes, boolean strict) implements Serializable {

  public static final long MAX_HEADER_BYTES_DEFAULT = 100_000_000L;

  /** Java arrays hold at most this many bytes, and the header is read into one. */
  public static final long MAX_HEADER_BYTES_LIMIT = Integer.MAX_VALUE - 8;

  public static final boolean STRICT_DEFAULT = false;

  public static final CheckpointOptions DEFAULT =
      new CheckpointOptions(MAX_HEADER_BYTES_DEFAULT, STRICT_DEFAULT);

  public CheckpointOptions {
    if (maxHeaderBytes < 2 || maxHeaderBytes > MAX_HEADER_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "Cannot use max-header-bytes "
              + maxHeaderBytes
              + ": it must be between 2 and "
              + MAX_HEADER_BYTES_LIMIT
              + " bytes");
    }
  }

  public CheckpointOptions withStrict(boolean newStrict) {
    return new CheckpointOptions(maxHeaderBytes, newStrict);
  }

  public CheckpointOptions withMaxHeaderBytes(long newMaxHeaderBytes) {
    return new CheckpointOptions(newMaxHeaderBytes, strict);
  }
}
