package dev.qspark.kernels.simd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Widens every one of the 65,536 bfloat16 bit patterns, NaN payloads and both zeros included, on
 * both paths and compares the float bits with {@link FloatDtype#bfloat16BitsToFloat}.
 */
class Bfloat16WideningTest {

  private static final int PATTERNS = 1 << 16;

  @Test
  void scalarWideningMatchesTheDtypeDecoding() {
    byte[] source = allPatterns(0);
    float[] widened = new float[PATTERNS];
    ScalarBfloat16Widening.INSTANCE.widen(source, 0, PATTERNS, widened, 0);
    for (int bits = 0; bits < PATTERNS; bits++) {
      assertThat(Float.floatToRawIntBits(widened[bits]))
          .as("bfloat16 bits 0x%04x", bits)
          .isEqualTo(Float.floatToRawIntBits(FloatDtype.bfloat16BitsToFloat((short) bits)));
    }
  }

  /** Odd offsets and counts put the vector body at every alignment and leave tails of every length. */
  @ParameterizedTest
  @CsvSource({"0, 0, 65536", "1, 3, 65533", "7, 0, 17", "0, 5, 1", "3, 2, 0", "2, 1, 31"})
  void vectorWideningMatchesScalar(int sourcePadding, int destinationOffset, int count) {
    assertThat(KernelPath.VECTOR.isAvailable()).as("the Vector API module is loaded").isTrue();
    byte[] source = allPatterns(sourcePadding);
    float[] expected = new float[destinationOffset + count + 1];
    float[] actual = new float[destinationOffset + count + 1];
    ScalarBfloat16Widening.INSTANCE.widen(source, sourcePadding, count, expected, destinationOffset);
    Kernels.bfloat16Widening(KernelPath.VECTOR).widen(source, sourcePadding, count, actual, destinationOffset);
    for (int i = 0; i < actual.length; i++) {
      assertThat(Float.floatToRawIntBits(actual[i]))
          .as("value %d of %d", i, count)
          .isEqualTo(Float.floatToRawIntBits(expected[i]));
    }
  }

  /** Returns every bfloat16 bit pattern in little-endian order, after {@code padding} bytes. */
  private static byte[] allPatterns(int padding) {
    byte[] bytes = new byte[padding + 2 * PATTERNS];
    for (int bits = 0; bits < PATTERNS; bits++) {
      bytes[padding + 2 * bits] = (byte) bits;
      bytes[padding + 2 * bits + 1] = (byte) (bits >>> 8);
    }
    return bytes;
  }
}
