package dev.qspark.kernels;

import dev.qspark.kernels.config.Int4PackingFormat;
import dev.qspark.kernels.config.Int4WeightOnlyConfig;
import dev.qspark.kernels.config.Int8WeightOnlyConfig;
import dev.qspark.kernels.config.IntxWeightOnlyConfig;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.UIntXWeightOnlyConfig;
import dev.qspark.kernels.format.Int4PlainInt32Quantizer;
import dev.qspark.kernels.format.Int4PlainQuantizer;
import dev.qspark.kernels.format.Int4TilePackedTo4dQuantizer;
import dev.qspark.kernels.format.Int4TinygemmV1Quantizer;
import dev.qspark.kernels.format.Int8WeightOnlyV1Quantizer;
import dev.qspark.kernels.format.Int8WeightOnlyV2Quantizer;
import dev.qspark.kernels.format.IntxWeightOnlyV1Quantizer;
import dev.qspark.kernels.format.IntxWeightOnlyV2Quantizer;
import dev.qspark.kernels.format.UIntXWeightOnlyQuantizer;

/** Creates the {@link WeightQuantizer} that reproduces a parsed torchao config. */
public final class Quantizers {

  private Quantizers() {}

  /**
   * Returns the quantizer for a config. Configs validate themselves on construction, so the formats
   * qspark does not produce were already rejected there.
   */
  public static WeightQuantizer forConfig(QuantConfig config) {
    return forConfig(config, KernelPath.selected());
  }

  /**
   * Returns the quantizer for a config on the given kernel path. Every path gives the same bytes.
   */
  public static WeightQuantizer forConfig(QuantConfig config, KernelPath path) {
    if (config instanceof Int4WeightOnlyConfig int4) {
      return forInt4(int4, path);
    }
    if (config instanceof IntxWeightOnlyConfig intx) {
      return intx.version() == 1
          ? new IntxWeightOnlyV1Quantizer(intx.weightBits(), intx.granularity(), intx.mappingType(),
              intx.scaleDtype(), intx.release(), intx.deviceArithmetic(), path)
          : new IntxWeightOnlyV2Quantizer(intx.weightBits(), intx.granularity(), intx.mappingType(),
              intx.scaleDtype(), intx.release(), intx.deviceArithmetic(), path);
    }
    if (config instanceof Int8WeightOnlyConfig int8) {
      return int8.version() == 1
          ? new Int8WeightOnlyV1Quantizer(int8.groupSize(), int8.release(), int8.deviceArithmetic(), path)
          : new Int8WeightOnlyV2Quantizer(int8.granularity(), int8.release(), int8.deviceArithmetic(), path);
    }
    UIntXWeightOnlyConfig uintx = (UIntXWeightOnlyConfig) config;
    return new UIntXWeightOnlyQuantizer(
        uintx.bits(), uintx.groupSize(), uintx.release(), uintx.deviceArithmetic(), path);
  }

  private static WeightQuantizer forInt4(Int4WeightOnlyConfig config, KernelPath path) {
    if (config.version() == 1) {
      return new Int4TinygemmV1Quantizer(config.groupSize(), config.release(), config.deviceArithmetic(), path);
    }
    Int4PackingFormat format = config.packingFormat();
    switch (format) {
      case PLAIN:
        return new Int4PlainQuantizer(config.groupSize(), config.release(), config.deviceArithmetic(), path);
      case PLAIN_INT32:
        return new Int4PlainInt32Quantizer(config.groupSize(), config.release(), config.deviceArithmetic(), path);
      case TILE_PACKED_TO_4D:
        int ntile = config.tilePackedNtile() == null
            ? Int4TilePackedTo4dQuantizer.DEFAULT_NTILE_SIZE
            : config.tilePackedNtile();
        return new Int4TilePackedTo4dQuantizer(
            config.groupSize(), config.release(), config.deviceArithmetic(), ntile, path);
      default:
        throw new UnsupportedOperationException(
            "Int4WeightOnlyConfig int4_packing_format=\"" + format.value() + "\" is an opaque GPU kernel layout that "
                + "qspark does not produce; use \"plain\", \"plain_int32\" or \"tile_packed_to_4d\"");
    }
  }
}
