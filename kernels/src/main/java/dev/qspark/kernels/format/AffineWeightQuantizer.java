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
import dev.qspark.kernels.affine.ChooseQParams;
import dev.qspark.kernels.affine.GroupwiseQuantization;
import dev.qspark.kernels.affine.QuantBounds;
import dev.qspark.kernels.simd.Kernels;

/**
 * The steps every integer zero-point format shares: check the weight, reject NaN and infinity,
 * choose qparams and quantize group by group, then pack.
 *
 * <p>Subclasses fix the numbers (bounds, mapping, eps, scale dtype, group size) and the packing.
 */
abstract class AffineWeightQuantizer implements WeightQuantizer {

  private static final long serialVersionUID = 1L;

  private final TorchaoRelease release;
  private final DeviceArithmetic device;
  private final ChooseQParams chooser;
  private final KernelPath kernelPath;

  AffineWeightQuantizer(
      TorchaoRelease release, DeviceArithmetic device, ChooseQParams chooser, KernelPath kernelPath) {
    if (kernelPath == null) {
      throw new IllegalArgumentException("Invalid quantizer: the kernel path must be set");
    }
    this.release = release;
    this.device = device;
    this.chooser = chooser;
    this.kernelPath = kernelPath;
  }

  public TorchaoRelease release() {
    return release;
  }

  public DeviceArithmetic device() {
    return device;
  }

  /** The implementation of the quantize and dequantize loops this quantizer runs. */
  public KernelPath kernelPath() {
    return kernelPath;
  }

  /** The config as torchao spells it, for messages, e.g. {@code IntxWeightOnlyConfig(version=2)}. */
  abstract String configName();

  /** Elements per group for rows of {@code inFeatures} elements. */
  abstract int groupSize(int inFeatures);

  /** The eps the scale is clamped with for an input of this dtype. */
  abstract float eps(FloatDtype inputDtype);

  /** The dtype the scale is stored in for an input of this dtype. */
  abstract FloatDtype scaleDtype(FloatDtype inputDtype);

  /** Returns whether torchao stores the zero point. Without one, the block's zero point is null. */
  boolean storesZeroPoint() {
    return true;
  }

  /** Returns whether one scale serves the whole tensor. */
  boolean isPerTensor() {
    return false;
  }

  /** Packs a block's quantized values into the bytes the format stores; by default one value per byte. */
  byte[] pack(byte[] qvalues, int rowCount, int inFeatures) {
    return qvalues;
  }

  /** Returns the bytes {@link #pack} produces for a block; by default one per value. */
  long packedBytes(int rowCount, int inFeatures) {
    return (long) rowCount * inFeatures;
  }

  /**
   * Rebuilds a block's quantized values, one per byte, from {@code packedBytes} bytes made by
   * {@link #pack}; by default a copy, one value per byte.
   */
  byte[] unpack(byte[] qdata, int rowCount, int inFeatures) {
    return qdata.clone();
  }

  /**
   * Checks format rules that come before the group split, e.g. a dtype the format does not accept.
   * Returns {@link Applicability#QUANTIZE} when the weight passes.
   */
  Applicability checkFormat(long outFeatures, long inFeatures, FloatDtype dtype) {
    return Applicability.QUANTIZE;
  }

  ChooseQParams chooser() {
    return chooser;
  }

  QuantBounds bounds() {
    return chooser.bounds();
  }

  String describe() {
    return configName() + " in torchao " + release.label();
  }

  @Override
  public Applicability applicability(long outFeatures, long inFeatures, FloatDtype dtype) {
    Applicability formatCheck = checkFormat(outFeatures, inFeatures, dtype);
    if (!formatCheck.isQuantized()) {
      return formatCheck;
    }
    if (inFeatures <= 0 || inFeatures > Integer.MAX_VALUE) {
      return Applicability.reject("in_features " + inFeatures + " is outside 1.." + Integer.MAX_VALUE);
    }
    int groupSize = groupSize((int) inFeatures);
    if (inFeatures % groupSize != 0) {
      return Applicability.reject("in_features " + inFeatures + " is not divisible by the group size " + groupSize
          + ", which torchao asserts");
    }
    return ScaleReciprocalCheck.check(dtype, eps(dtype), scaleDtype(dtype), describe());
  }

  @Override
  public QuantizedBlock quantize(WeightBlock block, TensorRange tensorRange) {
    Applicability applicability = applicability(block.outFeatures(), block.inFeatures(), block.dtype());
    if (!applicability.isQuantized()) {
      throw new IllegalArgumentException("Cannot quantize a " + block.outFeatures() + " x " + block.inFeatures() + " "
          + block.dtype().torchName() + " weight with " + describe() + ": " + applicability.reason());
    }
    int inFeatures = block.inFeatures();
    int groupSize = groupSize(inFeatures);
    TensorRange range = null;
    if (isPerTensor()) {
      range = requireTensorRange(tensorRange);
    }
    FloatDtype dtype = block.dtype();
    FloatDtype scaleDtype = scaleDtype(dtype);
    GroupwiseQuantization.Result result = Kernels.affine(kernelPath, dtype, scaleDtype)
        .quantize(block, groupSize, chooser, eps(dtype), scaleDtype, range);
    return new QuantizedBlock(
        block.rowCount(),
        inFeatures,
        result.qvalues(),
        pack(result.qvalues(), block.rowCount(), inFeatures),
        result.scale(),
        storesZeroPoint() ? result.zeroPoint() : null,
        result.groupsPerRow());
  }

  @Override
  public float[] dequantize(QuantizedBlock block, FloatDtype dtype) {
    return dequantize(block, dtype, null);
  }

  @Override
  public float[] dequantize(QuantizedBlock block, FloatDtype dtype, float[] out) {
    FloatDtype scaleDtype = scaleDtype(dtype);
    return Kernels.affine(kernelPath, dtype, scaleDtype)
        .dequantize(block, groupSize(block.inFeatures()), isPerTensor(), bounds(), scaleDtype, dtype, out);
  }

  @Override
  public QuantizedBlock fromStored(int rowCount, int inFeatures, byte[] qdata, float[] scale, float[] zeroPoint) {
    String format = describe();
    StoredBlocks.requireShape(format, rowCount, inFeatures);
    int groupsPerRow = isPerTensor() ? 1 : GroupwiseQuantization.groupsPerRow(inFeatures, groupSize(inFeatures));
    long params = isPerTensor() ? 1 : (long) rowCount * groupsPerRow;
    StoredBlocks.requireQParams(format, rowCount, scale, zeroPoint, params, storesZeroPoint());
    StoredBlocks.requireQdataLength(format, rowCount, inFeatures, qdata, packedBytes(rowCount, inFeatures));
    byte[] qvalues = unpack(qdata, rowCount, inFeatures);
    StoredBlocks.requireInBounds(format, qvalues, bounds());
    return new QuantizedBlock(rowCount, inFeatures, qvalues, qdata, scale, zeroPoint, groupsPerRow);
  }

  private TensorRange requireTensorRange(TensorRange tensorRange) {
    if (tensorRange == null) {
      throw new IllegalArgumentException(
          "Cannot quantize with " + describe() + ": per-tensor granularity needs the whole weight's TensorRange");
    }
    if (!Float.isFinite(tensorRange.min()) || !Float.isFinite(tensorRange.max())) {
      throw new IllegalArgumentException("Cannot quantize with " + describe() + ": the weight's range ["
          + tensorRange.min() + ", " + tensorRange.max() + "] is not finite (NaN, infinity or an empty weight)");
    }
    return tensorRange;
  }
}
