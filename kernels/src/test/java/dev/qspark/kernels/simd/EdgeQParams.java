package dev.qspark.kernels.simd;

import java.util.Random;

/**
 * Seeded scales and zero points for dequantize tests: ordinary values mixed with the hard cases.
 *
 * <p>A NaN zero point comes only with a finite scale, so that no float operation of the dequantize
 * formulas gets two NaN operands: a NaN scale, or an infinite scale times 0, would give a second
 * one. With two NaN operands x86 returns the payload of the first, and which operand comes first
 * is the JIT compiler's choice, so the Java code does not define the result's bits.
 */
final class EdgeQParams {

  private static final float[] SPECIAL = {
    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -3.0e38f, 1.0e37f,
    Float.MIN_VALUE, -1.0e-40f, Float.MIN_NORMAL, 0.0f, -0.0f, 1.0f, -7.5f};

  private EdgeQParams() {}

  /** Returns {@code {scale, zeroPoint}}, {@code count} values each. */
  static float[][] create(Random random, int count) {
    float[] scale = new float[count];
    float[] zeroPoint = new float[count];
    for (int i = 0; i < count; i++) {
      scale[i] = next(random);
      zeroPoint[i] = next(random);
      if (Float.isNaN(zeroPoint[i]) && !Float.isFinite(scale[i])) {
        zeroPoint[i] = 0.0f;
      }
    }
    return new float[][] {scale, zeroPoint};
  }

  private static float next(Random random) {
    switch (random.nextInt(8)) {
      case 0:
        return SPECIAL[random.nextInt(SPECIAL.length)];
      case 1:
        // Any bits: every exponent, subnormals, infinities and NaN with a random payload.
        return Float.intBitsToFloat(random.nextInt());
      case 2:
        // Lower 16 bits 0x8000: times a power of two, halfway between two bfloat16 values.
        return Float.intBitsToFloat((random.nextInt() & 0xFFFF_0000) | 0x8000);
      case 3:
        // NaN of either sign with a random payload, quiet or signaling.
        return Float.intBitsToFloat((random.nextInt() & 0x807F_FFFF) | 0x7F80_0001);
      default:
        return (float) (random.nextGaussian() * 0.01);
    }
  }
}
