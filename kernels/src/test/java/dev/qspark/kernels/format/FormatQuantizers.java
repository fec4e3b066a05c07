package dev.qspark.kernels.format;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightQuantizer;
import java.util.List;

/** One quantizer of each format in this package, for tests that apply to all of them. */
final class FormatQuantizers {

  private FormatQuantizers() {}

  static List<WeightQuantizer> all() {
    return List.of(
        new IntxWeightOnlyV2Quantizer(4, new Granularity.PerGroup(32), MappingType.SYMMETRIC, null,
            TorchaoRelease.V0_15, DeviceArithmetic.CPU),
        new IntxWeightOnlyV1Quantizer(8, new Granularity.PerGroup(32), MappingType.ASYMMETRIC, null,
            TorchaoRelease.V0_15, DeviceArithmetic.CPU),
        new Int8WeightOnlyV1Quantizer(32, TorchaoRelease.V0_15, DeviceArithmetic.CPU),
        new Int8WeightOnlyV2Quantizer(new Granularity.PerGroup(32), TorchaoRelease.V0_18, DeviceArithmetic.CPU),
        new UIntXWeightOnlyQuantizer(5, 32, TorchaoRelease.V0_15, DeviceArithmetic.CPU),
        new Int4PlainInt32Quantizer(32, TorchaoRelease.V0_18, DeviceArithmetic.XPU),
        new Int4PlainQuantizer(32, TorchaoRelease.V0_15, DeviceArithmetic.CUDA, KernelPath.SCALAR),
        new Int4PlainQuantizer(32, TorchaoRelease.V0_15, DeviceArithmetic.CUDA, KernelPath.VECTOR),
        new Int4TinygemmV1Quantizer(32, TorchaoRelease.V0_15, DeviceArithmetic.CUDA, KernelPath.SCALAR),
        new Int4TinygemmV1Quantizer(32, TorchaoRelease.V0_15, DeviceArithmetic.CUDA, KernelPath.VECTOR),
        new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_15, DeviceArithmetic.CUDA,
            Int4TilePackedTo4dQuantizer.DEFAULT_NTILE_SIZE, KernelPath.SCALAR),
        new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_15, DeviceArithmetic.CUDA,
            Int4TilePackedTo4dQuantizer.DEFAULT_NTILE_SIZE, KernelPath.VECTOR));
  }
}
