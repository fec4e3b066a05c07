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
 * {@code Int4WeightOnlyConfig(version=1)} with its default {@code TensorCoreTiledLayout}: an
 * AffineQuantizedTensor with tinygemm's floating point zero point.
 *
 * <p>Version 1 exists only up to torchao 0.15, and only for bfloat16 weights (its zero point is
 * bfloat16, and torchao's scale-and-zero packer needs scale and zero point in one dtype). torchao
 * pads in_features to a multiple of 1024 and out_features to a multiple of 8, then quantizes with
 * the tinygemm qparams (see {@link TinygemmBlocks}) and eps 1e-6.
 *
 * @param groupSize elements per group, torchao's {@code group_size}
 * @param release the torchao release; any other than 0.15 rejects every weight
 * @param device whose division by a Python number is reproduced; for bfloat16 every device gives the same result
 * @param kernelPath the implementation of the quantize and dequantize loops, which give the same bits on every path
 */
public record Int4TinygemmV1Quantizer(
    int groupSize, TorchaoRelease release, DeviceArithmetic device, KernelPath kernelPath)
    implements WeightQuantizer {

  private static final long serialVersionUID = 1L;

  /** The eps version 1 passes to {@code choose_qparams_affine}. */
  public static final float EPS = 1e-6f;

  /** torchao pads out_features to a multiple of this. */
  public static final int OUT_FEATURES_PADDING = 8;

  public Int4TinygemmV1Quantizer {
    Int4Validation.requirePositiveGroupSize(groupSize);
    if (release == null || device == null || kernelPath == null) {
      throw new IllegalArgumentException(
          "Invalid Int4 version 1 config: release, device and kernel path must be set");
    }
  }

  /** Creates the format on the kernel path {@link KernelPath#selected()} picks for this JVM. */
  public Int4TinygemmV1Quantizer(int groupSize, TorchaoRelease release, DeviceArithmetic device) {
    this(groupSize, release, device, KernelPath.selected());
  }

  /** Creates the format of torchao 0.15 on CUDA. */
  public Int4TinygemmV1Quantizer(int groupSize) {
    this(groupSize, TorchaoRelease.V0_15, DeviceArithmetic.CUDA);
  }

  /** Returns out_features padded with zero rows to a multiple of 8. */
  public long paddedOutFeatures(long outFeatures) {
    return TinygemmBlocks.roundUp(outFeatures, OUT_FEATURES_PADDING);
  }

  @Override
  public Applicability applicability(long outFeatures, long inFeatures, FloatDtype dtype) {
    if (release != TorchaoRelease.V0_15) {
      return Applicability.reject("Int4WeightOnlyConfig(version=1) does not exist in torchao " + release
          + ": its last release is 0.15");
    }
    if (inFeatures % groupSize != 0) {
      return Int4Validation.skipIndivisible(inFeatures, groupSize);
    }
    if (dtype != FloatDtype.BFLOAT16) {
      return Applicability.reject("Int4WeightOnlyConfig(version=1) supports only bfloat16 weights, got "
          + dtype.torchName() + ": its zero point is bfloat16 and must have the scale's dtype");
    }
    return Int4Validation.checkPaddedGroups(inFeatures, groupSize);
  }

  @Override
  public QuantizedBlock quantize(WeightBlock block, TensorRange tensorRange) {
    Int4Validation.requireQuantized(this, block);
    return Kernels.tinygemm(kernelPath).quantize(block, groupSize, EPS, device);
  }

  @Override
  public QuantizedBlock fromStored(int rowCount, int inFeatures, byte[] qdata, float[] scale, float[] zeroPoint) {
    return TinygemmBlocks.fromStored(rowCount, inFeatures, qdata, scale, zeroPoint, groupSize, EPS, device);
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
