package dev.qspark.kernels.format;

import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.EpsDefaults;
import dev.qspark.kernels.affine.QuantBounds;

/**
 * Int4WeightOnlyConfig(version=2, int4_packing_format="plain_int32"): torchao's
 * {@code Int4PlainInt32Tensor} on XPU.
 *
 * <p>ASYMMETRIC in {@code [0, 15]} with the range widened to contain 0, eps {@code 1e-6}, scale in
 * the weight's dtype and zero point stored as int8; torchao keeps both as {@code [K/g, N]}
 * (transposed), the block layout keeps them {@code [rows, K/g]}. Two values share a byte, the even
 * column in the low nibble:
 * <pre>
 *   byte j of a row (LSB first):  bits 3:0 = q[2j]   bits 7:4 = q[2j + 1]
 * </pre>
 * These are the bytes before {@code aten._convert_weight_to_int4pack}, whose XPU int32 layout is
 * device specific. Only bfloat16 weights are quantized: torchao accepts float16 and bfloat16, and
 * a float16 scale clamped at 1e-6 has an infinite reciprocal. Like every Int4WeightOnlyConfig
 * format, a weight whose in_features the group size does not divide is left unquantized.
 * torchao has no dequantize method for this tensor; {@link #dequantize} applies the integer
 * zero-point formula to the stored params.
 */
public final class Int4PlainInt32Quantizer extends AffineWeightQuantizer {

  private static final long serialVersionUID = 1L;

  private final int groupSize;

  /**
   * @param groupSize the config's {@code group_size} (torchao's default is 128)
   * @param release a torchao release (the format exists in 0.15 to 0.18)
   * @param device must be XPU: torchao raises NotImplementedError on other devices (NPU is not modelled)
   * @throws IllegalArgumentException for another device or a group size below 1
   */
  public Int4PlainInt32Quantizer(int groupSize, TorchaoRelease release, DeviceArithmetic device) {
    this(groupSize, release, device, KernelPath.selected());
  }

  /** Creates the format on the given kernel path; every path gives the same bytes. */
  public Int4PlainInt32Quantizer(
      int groupSize,
      TorchaoRelease release,
      DeviceArithmetic device,
      KernelPath kernelPath) {
    super(release, device, new ChooseQParams(MappingType.ASYMMETRIC, QuantBounds.unsigned(4), true, device),
        kernelPath);
    if (device != DeviceArithmetic.XPU) {
      throw new IllegalArgumentException("Unsupported device " + device.label()
          + " for Int4WeightOnlyConfig(int4_packing_format=\"plain_int32\"): torchao runs it only on XPU (or NPU)");
    }
    if (groupSize < 1) {
      throw new IllegalArgumentException(
          "Invalid group_size " + groupSize + " for Int4WeightOnlyConfig: expected a positive size");
    }
    this.groupSize = groupSize;
  }

  public int configuredGroupSize() {
    return groupSize;
  }

  @Override
  String configName() {
    return "Int4WeightOnlyConfig(int4_packing_format=\"plain_int32\")";
  }

  @Override
  int groupSize(int inFeatures) {
    return groupSize;
  }

  @Override
  float eps(FloatDtype inputDtype) {
    return EpsDefaults.INT4_EPS;
  }

  @Override
  FloatDtype scaleDtype(FloatDtype inputDtype) {
    return inputDtype;
  }

  @Override
  Applicability checkFormat(long outFeatures, long inFeatures, FloatDtype dtype) {
    if (inFeatures % groupSize != 0) {
      return Applicability.skip("in_features " + inFeatures + " is not divisible by group_size " + groupSize
          + ", so torchao leaves the weight unquantized");
    }
    if (inFeatures % 2 != 0) {
      return Applicability.reject("in_features " + inFeatures + " is odd, but two values share each packed byte");
    }
    if (dtype == FloatDtype.FLOAT32) {
      return Applicability.reject("Int4PlainInt32Tensor accepts float16 and bfloat16 weights, not float32");
    }
    return Applicability.QUANTIZE;
  }

  @Override
  byte[] pack(byte[] qvalues, int rowCount, int inFeatures) {
    byte[] packed = new byte[qvalues.length / 2];
    for (int i = 0; i < packed.length; i++) {
      packed[i] = (byte) ((qvalues[2 * i] & 0x0F) | (qvalues[2 * i + 1] << 4));
    }
    return packed;
  }

  @Override
  long packedBytes(int rowCount, int inFeatures) {
    if (inFeatures % 2 != 0) {
      throw new IllegalArgumentException("Cannot rebuild a stored " + describe() + " block: in_features "
          + inFeatures + " is odd, but two values share each packed byte");
    }
    return (long) rowCount * inFeatures / 2;
  }

  @Override
  byte[] unpack(byte[] qdata, int rowCount, int inFeatures) {
    byte[] qvalues = new byte[qdata.length * 2];
    for (int i = 0; i < qdata.length; i++) {
      qvalues[2 * i] = (byte) Int4NibbleOrder.EVEN_LOW.evenNibble(qdata[i]);
      qvalues[2 * i + 1] = (byte) Int4NibbleOrder.EVEN_LOW.oddNibble(qdata[i]);
    }
    return qvalues;
  }

  @Override
  public StorageInfo storageInfo(FloatDtype dtype, int inFeatures) {
    return new StorageInfo("uint4", dtype.torchName(), "int8", new int[] {1, groupSize});
  }
}
