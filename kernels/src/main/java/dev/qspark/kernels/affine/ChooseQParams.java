package dev.qspark.kernels.affine;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.MappingType;
import java.io.Serializable;

/**
 * Chooses a group's scale and zero point in torchao's integer zero-point domain.
 *
 * <p>With {@code preserveZero} this is {@code _choose_qparams_affine}: the range is first widened
 * to contain 0, so that 0.0 quantizes exactly. Without it this is
 * {@code _choose_qparams_affine_dont_preserve_zero}, which torchao only has for
 * {@link MappingType#ASYMMETRIC} (IntxWeightOnlyConfig version 1 uses it).
 *
 * <p>Every operation runs in the input dtype: computed in float32 and rounded to the dtype once.
 * A division of a tensor by a Python number follows the {@link DeviceArithmetic}; the division of
 * the minimum by the scale is a tensor division, which is IEEE on every device.
 *
 * <p>NOTE: SYMMETRIC_NO_CLIPPING_ERR divides by quant_min and quant_max; for int1 quant_max is 0
 * and the scale becomes infinite or NaN, as in torchao. Formats reject that combination.
 */
public final class ChooseQParams implements Serializable {

  private static final long serialVersionUID = 1L;

  private final MappingType mapping;
  private final QuantBounds bounds;
  private final boolean preserveZero;
  private final DeviceArithmetic device;

  /**
   * @param mapping how the range maps to the integers
   * @param bounds quant_min and quant_max
   * @param preserveZero whether the range is widened to contain 0; false needs ASYMMETRIC
   * @param device whose division by a Python number to reproduce
   * @throws IllegalArgumentException for a symmetric mapping without preserveZero, as torchao asserts
   */
  public ChooseQParams(MappingType mapping, QuantBounds bounds, boolean preserveZero, DeviceArithmetic device) {
    if (!preserveZero && mapping != MappingType.ASYMMETRIC) {
      throw new IllegalArgumentException("Unsupported mapping type " + mapping
          + " without preserve_zero: torchao's _choose_qparams_affine_dont_preserve_zero accepts only ASYMMETRIC");
    }
    this.mapping = mapping;
    this.bounds = bounds;
    this.preserveZero = preserveZero;
    this.device = device;
  }

  public MappingType mapping() {
    return mapping;
  }

  public QuantBounds bounds() {
    return bounds;
  }

  /**
   * Chooses the qparams of the group {@code values[offset, offset + length)}.
   *
   * @param inputDtype the dtype of the values, in which torchao computes
   * @param eps the lower clamp of the scale, as the Python float torchao passes
   * @param scaleDtype the dtype the scale is cast to at the end
   */
  public QParams choose(
      float[] values, int offset, int length, FloatDtype inputDtype, float eps, FloatDtype scaleDtype) {
    if (needsOnlyMaxMagnitude()) {
      return chooseFromMaxMagnitude(GroupRange.maxMagnitude(values, offset, length), inputDtype, eps, scaleDtype);
    }
    long range = GroupRange.of(values, offset, length);
    return chooseFromRange(GroupRange.min(range), GroupRange.max(range), inputDtype, eps, scaleDtype);
  }

  /**
   * Chooses the qparams of a group whose minimum and maximum are known, e.g. a whole tensor's range.
   * The zero point is computed with the scale before its cast to {@code scaleDtype}, as in torchao.
   */
  public QParams chooseFromRange(float min, float max, FloatDtype inputDtype, float eps, FloatDtype scaleDtype) {
    // Each mapping has its own small method so that C2 can inline the one in use into a kernel's
    // group loop, where escape analysis then removes the QParams allocation.
    float low = preserveZero ? Math.min(min, 0.0f) : min;
    float high = preserveZero ? Math.max(max, 0.0f) : max;
    float epsInDtype = inputDtype.round(eps);
    switch (mapping) {
      case SYMMETRIC:
        return symmetric(low, high, inputDtype, epsInDtype, scaleDtype);
      case SYMMETRIC_NO_CLIPPING_ERR:
        return symmetricNoClippingError(low, high, inputDtype, epsInDtype, scaleDtype);
      case ASYMMETRIC:
        return asymmetric(low, high, inputDtype, epsInDtype, scaleDtype);
      default:
        throw new IllegalStateException("Unknown mapping type " + mapping);
    }
  }

  /**
   * Returns whether the qparams depend on a group only through its largest magnitude
   * {@code max(|x|)}: true for SYMMETRIC, whose range always contains 0.
   */
  public boolean needsOnlyMaxMagnitude() {
    return mapping == MappingType.SYMMETRIC;
  }

  /**
   * Chooses SYMMETRIC qparams from a group's largest magnitude {@code max(|x|)}. It equals the
   * magnitude {@link #chooseFromRange} computes, {@code max(-min(min, 0), max(max, 0))}, including
   * +0.0 for a group of zeros, so both give the same qparams.
   *
   * @throws IllegalStateException for another mapping type
   */
  public QParams chooseFromMaxMagnitude(float magnitude, FloatDtype inputDtype, float eps, FloatDtype scaleDtype) {
    if (!needsOnlyMaxMagnitude()) {
      throw new IllegalStateException("Cannot choose " + mapping + " qparams from the largest magnitude alone");
    }
    return symmetric(magnitude, inputDtype, inputDtype.round(eps), scaleDtype);
  }

  private QParams symmetric(float low, float high, FloatDtype inputDtype, float epsInDtype, FloatDtype scaleDtype) {
    return symmetric(Math.max(-low, high), inputDtype, epsInDtype, scaleDtype);
  }

  private QParams symmetric(float magnitude, FloatDtype inputDtype, float epsInDtype, FloatDtype scaleDtype) {
    // The divisor (quant_max - quant_min) / 2 is a Python float such as 127.5, exact in float32.
    float divisor = (bounds.quantMax() - bounds.quantMin()) * 0.5f;
    float scale = Math.max(inputDtype.round(device.divideByScalar(magnitude, divisor)), epsInDtype);
    return new QParams(scaleDtype.round(scale), symmetricZeroPoint());
  }

  private QParams symmetricNoClippingError(
      float low, float high, FloatDtype inputDtype, float epsInDtype, FloatDtype scaleDtype) {
    float scaleOfMin = inputDtype.round(device.divideByScalar(low, bounds.quantMin()));
    float scaleOfMax = inputDtype.round(device.divideByScalar(high, bounds.quantMax()));
    float scale = Math.max(scaleOfMin > scaleOfMax ? scaleOfMin : scaleOfMax, epsInDtype);
    return new QParams(scaleDtype.round(scale), symmetricZeroPoint());
  }

  private QParams asymmetric(float low, float high, FloatDtype inputDtype, float epsInDtype, FloatDtype scaleDtype) {
    float range = inputDtype.round(high - low);
    float scale = Math.max(
        inputDtype.round(device.divideByScalar(range, bounds.quantMax() - bounds.quantMin())), epsInDtype);
    float shift = (float) Math.rint(inputDtype.round(low / scale));
    float unclamped = inputDtype.round(bounds.quantMin() - shift);
    float zeroPoint = Math.min(Math.max(unclamped, bounds.quantMin()), bounds.quantMax());
    return new QParams(scaleDtype.round(scale), zeroPoint);
  }

  /** torchao's {@code int((quant_max + quant_min + 1) / 2)}: 0 for every signed type. */
  private float symmetricZeroPoint() {
    // Java's int division truncates toward zero, as Python's int() of the float quotient does.
    return (bounds.quantMax() + bounds.quantMin() + 1) / 2;
  }
}
