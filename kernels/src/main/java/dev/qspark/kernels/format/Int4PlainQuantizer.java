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

/**
 * {@code Int4WeightOnlyConfig(version=2, int4_packing_format="plain")}: torchao's Int4Tensor.
 *
 * <p>Each group of {@code groupSize} consecutive values of a row is quantized by
 * {@link Int4RowQuantizer} to a signed 4-bit value, and two values are packed per byte with
 * {@link Int4NibbleOrder#EVEN_LOW}, {@code inFeatures / 2} bytes per row. The scale and zero are
 * stored rounded to the weight's dtype. torchao stores them transposed, {@code [K/g, N]}; a block
 * stores them {@code [rows, K/g]} like every format.
 *
 * <p>float32, bfloat16 and float16 weights are accepted. The numerics are the same in every
 * release from 0.15 to 0.18.
 *
 * @param groupSize elements per group, torchao's {@code group_size}
 * @param release the torchao release
 * @param device whose division by a Python number is reproduced; torchao runs this format on CUDA
 * @param kernelPath the implementation of the quantize and dequantize loops, which give the same bits on every path
 */
public record Int4PlainQuantizer(
    int groupSize, TorchaoRelease release, DeviceArithmetic device, KernelPath kernelPath) implements WeightQuantizer {

  private static final long serialVersionUID = 1L;

  public Int4PlainQuantizer {
    Int4Validation.requirePositiveGroupSize(groupSize);
    if (release == null || device == null || kernelPath == null) {
      throw new IllegalArgumentException("Invalid Int4 plain config: release, device and kernel path must be set");
    }
  }

  /** Creates the format on the kernel path {@link KernelPath#selected()} picks for this JVM. */
  public Int4PlainQuantizer(int groupSize, TorchaoRelease release, DeviceArithmetic device) {
    this(groupSize, release, device, KernelPath.selected());
  }

  /** Creates the format on CUDA, where torchao runs it. */
  public Int4PlainQuantizer(int groupSize, TorchaoRelease release) {
    this(groupSize, release, DeviceArithmetic.CUDA);
  }

  @Override
  public Applicability applicability(long outFeatures, long inFeatures, FloatDtype dtype) {
    if (inFeatures % groupSize != 0) {
      return Int4Validation.skipIndivisible(inFeatures, groupSize);
    }
    if (inFeatures % 2 != 0) {
      return Applicability.reject("in_features " + inFeatures
          + " is odd, but Int4Tensor packs two values per byte along in_features");
    }
    return Applicability.QUANTIZE;
  }

  @Override
  public QuantizedBlock quantize(WeightBlock block, TensorRange tensorRange) {
    Int4Validation.requireQuantized(this, block);
    int rows = block.rowCount();
    int inFeatures = block.inFeatures();
    int groupsPerRow = inFeatures / groupSize;
    byte[] qvalues = new byte[rows * inFeatures];
    byte[] qdata = new byte[rows * inFeatures / 2];
    float[] scale = new float[rows * groupsPerRow];
    float[] zero = new float[rows * groupsPerRow];
    Kernels.int4Plain(kernelPath).quantize(block, groupSize, device, qvalues, qdata, scale, zero);
    return new QuantizedBlock(rows, inFeatures, qvalues, qdata, scale, zero, groupsPerRow);
  }

  @Override
  public QuantizedBlock fromStored(int rowCount, int inFeatures, byte[] qdata, float[] scale, float[] zeroPoint) {
    StoredBlocks.requireShape("Int4Tensor", rowCount, inFeatures);
    if (inFeatures % groupSize != 0 || inFeatures % 2 != 0) {
      throw new IllegalArgumentException("Cannot rebuild a stored Int4Tensor block: in_features " + inFeatures
          + " must be even and divisible by group_size " + groupSize);
    }
    int groupsPerRow = inFeatures / groupSize;
    StoredBlocks.requireQParams("Int4Tensor", rowCount, scale, zeroPoint, (long) rowCount * groupsPerRow, true);
    StoredBlocks.requireQdataLength("Int4Tensor", rowCount, inFeatures, qdata, (long) rowCount * inFeatures / 2);

    byte[] qvalues = new byte[rowCount * inFeatures];
    for (int j = 0; j < qdata.length; j++) {
      qvalues[2 * j] = (byte) Int4NibbleOrder.signExtend(Int4NibbleOrder.EVEN_LOW.evenNibble(qdata[j]));
      qvalues[2 * j + 1] = (byte) Int4NibbleOrder.signExtend(Int4NibbleOrder.EVEN_LOW.oddNibble(qdata[j]));
    }
    return new QuantizedBlock(rowCount, inFeatures, qvalues, qdata, scale, zeroPoint, groupsPerRow);
  }

  @Override
  public float[] dequantize(QuantizedBlock block, FloatDtype dtype) {
    return dequantize(block, dtype, null);
  }

  @Override
  public float[] dequantize(QuantizedBlock block, FloatDtype dtype, float[] out) {
    Int4Validation.requireBlockSizes(block, groupSize, block.inFeatures() / 2);
    return Kernels.int4Plain(kernelPath).dequantize(block, groupSize, dtype, out);
  }

  @Override
  public StorageInfo storageInfo(FloatDtype dtype, int inFeatures) {
    return new StorageInfo("int4", dtype.torchName(), dtype.torchName(), new int[] {1, groupSize});
  }
}
