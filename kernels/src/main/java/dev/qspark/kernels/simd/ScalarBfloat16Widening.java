package dev.qspark.kernels.simd;

/** The plain Java {@link Bfloat16Widening}: byte pairs shifted into the upper half of float32 bits. */
public final class ScalarBfloat16Widening implements Bfloat16Widening {

  public static final ScalarBfloat16Widening INSTANCE = new ScalarBfloat16Widening();

  private ScalarBfloat16Widening() {}

  @Override
  public void widen(byte[] source, int sourceOffset, int count, float[] destination, int destinationOffset) {
    for (int i = 0; i < count; i++) {
      int low = source[sourceOffset + 2 * i] & 0xFF;
      int high = source[sourceOffset + 2 * i + 1] & 0xFF;
      destination[destinationOffset + i] = Float.intBitsToFloat((high << 24) | (low << 16));
    }
  }
}
