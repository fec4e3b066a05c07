package dev.qspark.job.checksum;

/**
 * The columns of one {@code quantized/} row that the checksum covers.
 *
 * @param configId the partition value, such as {@code int4-g32}
 * @param config the canonical torchao config text
 * @param tensor the weight's name in the checkpoint
 * @param rowStart the block's first row in the weight
 * @param rowCount rows in the block
 * @param shape the weight's shape, {@code [out_features, in_features]}
 * @param blockSize torchao's {@code block_size}; a first value other than 1 marks a per-tensor scale
 * @param qdata each stored tensor's bytes for the block's rows, one stored tensor after the other
 * @param scale {@code [rowCount, groupsPerRow]} row-major, or the one per-tensor value
 * @param zeroPoint the same layout as {@code scale}, or null where the format stores none
 */
public record BlockRow(
    String configId,
    String config,
    String tensor,
    long rowStart,
    int rowCount,
    long[] shape,
    int[] blockSize,
    byte[] qdata,
    float[] scale,
    float[] zeroPoint,
    String qdataDtype,
    String scaleDtype,
    String zeroPointDtype) {

  /** True when the block stores one scale (and zero point) for the whole weight. */
  boolean perTensorScale() {
    return blockSize.length > 0 && blockSize[0] != 1;
  }
}
