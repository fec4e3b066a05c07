package dev.qspark.kernels.simd.vector;

/** The array a vector dequantize writes: the caller's, when it has the block's length, or a new one. */
final class DequantizeOutput {

  private DequantizeOutput() {}

  /**
   * Returns {@code out}, or a new array of {@code length} values when {@code out} is null.
   *
   * @throws IllegalArgumentException when {@code out} has another length
   */
  static float[] of(float[] out, int length) {
    if (out == null) {
      return new float[length];
    }
    if (out.length != length) {
      throw new IllegalArgumentException("Cannot dequantize " + length + " values into an array of "
          + out.length + ": the lengths must be equal");
    }
    return out;
  }
}
