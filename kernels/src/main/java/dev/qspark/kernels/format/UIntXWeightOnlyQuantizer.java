package dev.qspark.kernels.format;

import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.RowBlocks;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.EpsDefaults;
import dev.qspark.kernels.affine.QuantBounds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * UIntXWeightOnlyConfig(dtype=torch.uint&lt;bits&gt;) without HQQ: an AffineQuantizedTensor with
 * UintxLayout, which exists up to torchao 0.16 (a prototype there).
 *
 * <p>ASYMMETRIC in {@code [0, 2^bits - 1]} with the range widened to contain 0, eps = float32's
 * eps, scale {@code [N, K/g]} in the weight's dtype and an int32 zero point {@code [N, K/g]}. The
 * values are packed into shards by {@link UintxBitPacker}; a block's {@code qdata} holds its int4
 * shard rows, then its int2 rows, then its int1 rows, as far as the bit width has them. uint8 is
 * unsupported because UintxLayout has no 8-bit packing, and float16 weights are rejected because
 * float32's eps as a float16 scale has an infinite reciprocal.
 */
public final class UIntXWeightOnlyQuantizer extends AffineWeightQuantizer {

  private static final long serialVersionUID = 1L;

  /** torchao's default {@code group_size} for this config. */
  public static final int DEFAULT_GROUP_SIZE = 64;

  private final int bits;
  private final int groupSize;

  /**
   * @param bits 1 to 7, for {@code dtype=torch.uint<bits>}
   * @param groupSize the config's {@code group_size} (torchao's default is {@value #DEFAULT_GROUP_SIZE})
   * @param release 0.15 or 0.16; 0.17 removed the config
   * @param device whose division by a Python number to reproduce (torchao's default device is the CPU)
   * @throws IllegalArgumentException for uint8, bits outside 1..7, a group size below 1 or release 0.17 and later
   */
  public UIntXWeightOnlyQuantizer(int bits, int groupSize, TorchaoRelease release, DeviceArithmetic device) {
    this(bits, groupSize, release, device, KernelPath.selected());
  }

  /** Creates the format on the given kernel path; every path gives the same bytes. */
  public UIntXWeightOnlyQuantizer(
      int bits,
      int groupSize,
      TorchaoRelease release,
      DeviceArithmetic device,
      KernelPath kernelPath) {
    super(release, device, chooser(bits, release, device), kernelPath);
    if (groupSize < 1) {
      throw new IllegalArgumentException(
          "Invalid group_size " + groupSize + " for UIntXWeightOnlyConfig: expected a positive size");
    }
    this.bits = bits;
    this.groupSize = groupSize;
  }

  public int bits() {
    return bits;
  }

  public int configuredGroupSize() {
    return groupSize;
  }

  @Override
  String configName() {
    return "UIntXWeightOnlyConfig(dtype=torch.uint" + bits + ")";
  }

  @Override
  int groupSize(int inFeatures) {
    return groupSize;
  }

  @Override
  float eps(FloatDtype inputDtype) {
    return EpsDefaults.FLOAT32_EPS;
  }

  @Override
  FloatDtype scaleDtype(FloatDtype inputDtype) {
    return inputDtype;
  }

  @Override
  Applicability checkFormat(long outFeatures, long inFeatures, FloatDtype dtype) {
    if (inFeatures % 8 != 0) {
      return Applicability.reject("in_features " + inFeatures
          + " is not a multiple of 8, which UintxLayout packing needs (torchao asserts)");
    }
    return Applicability.QUANTIZE;
  }

  @Override
  byte[] pack(byte[] qvalues, int rowCount, int inFeatures) {
    List<byte[]> shards = UintxBitPacker.pack(qvalues, rowCount, inFeatures, bits);
    int total = 0;
    for (byte[] shard : shards) {
      total += shard.length;
    }
    byte[] qdata = new byte[total];
    int offset = 0;
    for (byte[] shard : shards) {
      System.arraycopy(shard, 0, qdata, offset, shard.length);
      offset += shard.length;
    }
    return qdata;
  }

  @Override
  long packedBytes(int rowCount, int inFeatures) {
    if (inFeatures % 8 != 0) {
      throw new IllegalArgumentException("Cannot rebuild a stored " + describe() + " block: in_features "
          + inFeatures + " is not a multiple of 8, which UintxLayout packing needs");
    }
    long bytes = 0;
    for (int width : UintxBitPacker.shardWidths(bits)) {
      bytes += (long) rowCount * inFeatures * width / 8;
    }
    return bytes;
  }

  @Override
  byte[] unpack(byte[] qdata, int rowCount, int inFeatures) {
    List<byte[]> shards = new ArrayList<>();
    int offset = 0;
    for (int width : UintxBitPacker.shardWidths(bits)) {
      int length = rowCount * inFeatures * width / 8;
      shards.add(Arrays.copyOfRange(qdata, offset, offset + length));
      offset += length;
    }
    return UintxBitPacker.unpack(shards, rowCount, inFeatures, bits);
  }

  /** Joins the int4, int2 and int1 shards of the blocks each on their own, as {@link #pack} lays them out. */
  @Override
  public QuantizedBlock join(List<QuantizedBlock> parts) {
    return RowBlocks.join(parts, false, UintxBitPacker.shardWidths(bits));
  }

  /** Slices the int4, int2 and int1 shards of the block each on their own, as {@link #pack} lays them out. */
  @Override
  public QuantizedBlock slice(QuantizedBlock block, int start, int rows) {
    return RowBlocks.slice(block, start, rows, false, UintxBitPacker.shardWidths(bits));
  }

  @Override
  public StorageInfo storageInfo(FloatDtype dtype, int inFeatures) {
    return new StorageInfo("uint" + bits, dtype.torchName(), "int32", new int[] {1, groupSize});
  }

  private static ChooseQParams chooser(int bits, TorchaoRelease release, DeviceArithmetic device) {
    if (release.isAtLeast(TorchaoRelease.V0_17)) {
      throw new IllegalArgumentException("Unsupported torchao release " + release.label()
          + " for UIntXWeightOnlyConfig: its last release is 0.16");
    }
    if (bits == 8) {
      throw new IllegalArgumentException("Unsupported dtype torch.uint8 for UIntXWeightOnlyConfig:"
          + " UintxLayout has no 8-bit packing and torchao asserts; use uint1 to uint7 or Int8WeightOnlyConfig");
    }
    if (bits < 1 || bits > 7) {
      throw new IllegalArgumentException(
          "Unsupported dtype torch.uint" + bits + " for UIntXWeightOnlyConfig: expected uint1 to uint7");
    }
    return new ChooseQParams(MappingType.ASYMMETRIC, QuantBounds.unsigned(bits), true, device);
  }
}
