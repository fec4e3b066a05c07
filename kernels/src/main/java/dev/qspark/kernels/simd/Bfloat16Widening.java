package dev.qspark.kernels.simd;

/**
 * Widens little-endian bfloat16 bytes, as a safetensors file stores them, to Java floats. A bfloat16
 * value is the upper half of a float32, so every value, NaN payloads included, widens exactly.
 *
 * <p>{@link ScalarBfloat16Widening} is the reference; every implementation writes the same bits.
 */
public interface Bfloat16Widening {

  /**
   * Widens {@code count} values from {@code source} at byte {@code sourceOffset} into {@code
   * destination} at {@code destinationOffset}.
   */
  void widen(byte[] source, int sourceOffset, int count, float[] destination, int destinationOffset);
}
