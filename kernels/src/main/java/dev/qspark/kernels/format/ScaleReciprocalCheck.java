package dev.qspark.kernels.format;

import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.FloatDtype;

/**
 * Rejects configs whose float16 scale can have an infinite reciprocal.
 *
 * <p>torchao clamps the scale from below with eps, then quantizes with {@code x * (1.0 / scale)},
 * the reciprocal rounded to the scale's dtype. When that dtype is float16 and the clamped scale is
 * below about {@code 1 / 65520}, the reciprocal rounds to infinity: zeros turn into NaN before the integer cast
 * and torchao's result is undefined. Int8WeightOnlyConfig version 1, Int8Tensor at 0.16 and 0.17,
 * UIntX and plain_int32 clamp at eps 1e-6 or float32's eps, so they reject every float16 weight.
 */
final class ScaleReciprocalCheck {

  private ScaleReciprocalCheck() {}

  static Applicability check(FloatDtype inputDtype, float eps, FloatDtype scaleDtype, String config) {
    if (scaleDtype != FloatDtype.FLOAT16) {
      return Applicability.QUANTIZE;
    }
    float smallestScale = scaleDtype.round(inputDtype.round(eps));
    float reciprocal = scaleDtype.round(1.0f / smallestScale);
    if (Float.isFinite(reciprocal)) {
      return Applicability.QUANTIZE;
    }
    // NOTE: groups whose scale has a finite float16 reciprocal are well defined, but which groups
    // those are depends on the data, so the whole weight is rejected.
    return Applicability.reject(config + " clamps the " + inputDtype.torchName() + " scale at eps " + eps
        + ", whose float16 reciprocal is infinite, so torchao turns zeros into NaN before the integer cast;"
        + " use float32 or bfloat16 weights");
  }
}
