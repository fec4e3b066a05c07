package dev.qspark.kernels.format;

import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.simd.Kernels;
import dev.qspark.kernels.tinygemm.TinygemmBlocks;

/**
 * {@code Int4WeightOnlyConfig(version=2, int4_packing_format="tile_packed_to_4d")} with the default
 * {@code int4_choose_qparams_algorithm="tinygemm"}: torchao's Int4TilePackedTo4dTensor.
 *
 * <p>bfloat16 weights only. torchao pads in_features to a multiple of 1024 and out_features to a
 * multiple of {@code ntileSize}, then quantizes with the tinygemm qparams (see
 * {@link TinygemmBlocks}) and the default eps of bfloat16 for the release: {@code finfo.eps}
 * (0.0078125) up to 0.17 and {@code finfo.smallest_normal} from 0.18. The stored
 * {@code scale_and_zero} is {@code [K_pad/g, N_pad, 2]}; a block stores scale and zero point
 * {@code [rows, K/g]}.
 *
 * @param groupSize elements per group, torchao's {@code group_size}
 * @param release the torchao release
 * @param device whose division by a Python number is reproduced; for bfloat16 every device gives the same result
 * @param ntileSize {@code int4_tile_packed_ntile} (8 or 16, from torchao 0.17); releases before pad to 8
 * @param kernelPath the implementation of the quantize and dequantize loops, which give the same bits on every path
 */
public record Int4TilePackedTo4dQuantizer(
    int groupSize, TorchaoRelease release, DeviceArithmetic device, int ntileSize, KernelPath kernelPath)
    implements WeightQuantizer {

  private static final long serialVersionUID = 1L;

  /** The ntile size before torchao 0.17, and the default of {@code int4_tile_packed_ntile}. */
  public static final int DEFAULT_NTILE_SIZE = 8;

  public Int4TilePackedTo4dQuantizer {
    Int4Validation.requirePositiveGroupSize(groupSize);
    if (release == null || device == null || kernelPath == null) {
      throw new IllegalArgumentException(
          "Invalid Int4 tile_packed_to_4d config: release, device and kernel path must be set");
    }
    if (ntileSize != 8 && ntileSize != 16) {
      throw new IllegalArgumentException(
          "Invalid int4_tile_packed_ntile " + ntileSize + ": expected 8 or 16");
    }
    if (ntileSize != DEFAULT_NTILE_SIZE && !release.isAtLeast(TorchaoRelease.V0_17)) {
      throw new IllegalArgumentException("Invalid int4_tile_packed_ntile " + ntileSize + " for torchao "
          + release + ": the option exists from torchao 0.17, earlier releases pad out_features to a multiple of 8");
    }
  }

  /** Creates the format on the kernel path {@link KernelPath#selected()} picks for this JVM. */
  public Int4TilePackedTo4dQuantizer(int groupSize, TorchaoRelease release, DeviceArithmetic device, int ntileSize) {
    this(groupSize, release, device, ntileSize, KernelPath.selected());
  }

  /** Creates the format on CUDA with the default ntile size 8. */
  public Int4TilePackedTo4dQuantizer(int groupSize, TorchaoRelease release) {
    this(groupSize, release, DeviceArithmetic.CUDA, DEFAULT_NTILE_SIZE);
  }

  /** Returns the lower bound of the scale: torchao passes no eps, so the default of bfloat16 applies. */
  public float eps() {
    return release.isAtLeast(TorchaoRelease.V0_18)
        ? FloatDtype.BFLOAT16.smallestNormal()
        : FloatDtype.BFLOAT16.eps();
  }

  /** Returns out_features padded with zero rows to a multiple of the ntile size. */
  public long paddedOutFeatures(long outFeatures) {
    return TinygemmBlocks.roundUp(outFeatures, ntileSize);
  }

  @Override
  public Applicability applicability(long outFeatures, long inFeatures, FloatDtype dtype) {
    if (inFeatures % groupSize != 0) {
      return Int4Validation.skipIndivisible(inFeatures, groupSize);
    }
    if (dtype != FloatDtype.BFLOAT16) {
      return Applicability.reject(
          "Int4TilePackedTo4dTensor supports only bfloat16 weights, got " + dtype.torchName());
    }
    return Int4Validation.checkPaddedGroups(inFeatures, groupSize);
  }

  @Override
  public QuantizedBlock quantize(WeightBlock block, TensorRange tensorRange) {
    Int4Validation.requireQuantized(this, block);
    return Kernels.tinygemm(kernelPath).quantize(block, groupSize, eps(), device);
  }

  @Override
  public QuantizedBlock fromStored(int rowCount, int inFeatures, byte[] qdata, float[] scale, float[] zeroPoint) {
    return TinygemmBlocks.fromStored(rowCount, inFeatures, qdata, scale, zeroPoint, groupSize, eps(), device);
  }

  @Override
  public float[] dequantize(QuantizedBlock block, FloatDtype dtype) {
    return dequantize(block, dtype, null);
  }

  @Override
  public float[] dequantize(QuantizedBlock block, FloatDtype dtype, float[] out) {
    Int4Validation.requireBlockSizes(block, groupSize, TinygemmBlocks.paddedInFeatures(block.inFeatures()) / 2);
    return Kernels.tinygemm(kernelPath).dequantize(block, groupSize, dtype, out);
  }

  @Override
  public StorageInfo storageInfo(FloatDtype dtype, int inFeatures) {
    return new StorageInfo("uint4", "bfloat16", "bfloat16", new int[] {1, groupSize});
  }
}
