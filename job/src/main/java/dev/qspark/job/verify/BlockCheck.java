package dev.qspark.job.verify;

import java.io.Serializable;

/**
 * What an executor found for one stored block: its key, and either its error sums or why it could
 * not be rebuilt.
 *
 * @param configId the block's {@code config_id} partition
 * @param config the config as stored, in torchao syntax
 * @param tensor the tensor name
 * @param rowStart the block's first row
 * @param rowCount rows in the block
 * @param sums the error sums, or null when the block failed
 * @param failure why the block could not be rebuilt or read, or null
 */
public record BlockCheck(
    String configId, String config, String tensor, long rowStart, int rowCount, ErrorSums sums, String failure)
    implements Serializable {

  public boolean failed() {
    return failure != null;
  }
}
