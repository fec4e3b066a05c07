package dev.qspark.job.report;

import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.Int4PackingFormat;
import dev.qspark.kernels.config.Int4WeightOnlyConfig;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.format.Int4PlainQuantizer;
import dev.qspark.kernels.format.Int4TilePackedTo4dQuantizer;
import dev.qspark.kernels.format.Int4TinygemmV1Quantizer;
import java.util.Optional;

/** Finds the kernel that dequantizes a config's stored blocks, for the report's comparisons. */
final class ReportQuantizers {

  private ReportQuantizers() {}

  /**
   * Returns the kernel for {@code config}, or empty when the report cannot dequantize its blocks.
   *
   * <p>TODO: delegate to {@code Quantizers.forConfig} once the kernels offer it; until then only the
   * Int4 formats are dequantized, and the report compares the other version pairs by scale and SQNR.
   */
  static Optional<WeightQuantizer> forConfig(QuantConfig config) {
    if (config instanceof Int4WeightOnlyConfig int4) {
      if (int4.version() == 1) {
        return Optional.of(new Int4TinygemmV1Quantizer(int4.groupSize(), int4.release(), int4.deviceArithmetic()));
      }
      if (int4.packingFormat() == Int4PackingFormat.PLAIN) {
        return Optional.of(new Int4PlainQuantizer(int4.groupSize(), int4.release(), int4.deviceArithmetic()));
      }
      if (int4.packingFormat() == Int4PackingFormat.TILE_PACKED_TO_4D) {
        int ntile = int4.tilePackedNtile() == null
            ? Int4TilePackedTo4dQuantizer.DEFAULT_NTILE_SIZE : int4.tilePackedNtile();
        return Optional.of(new Int4TilePackedTo4dQuantizer(
            int4.groupSize(), int4.release(), int4.deviceArithmetic(), ntile));
      }
    }
    return Optional.empty();
  }
}
