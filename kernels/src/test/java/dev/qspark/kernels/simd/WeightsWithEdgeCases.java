package dev.qspark.kernels.simd;

import dev.qspark.kernels.FloatDtype;
import java.util.Random;

/** Seeded random weights with the hard cases of torchao's test vectors placed at random rows and groups. */
final class WeightsWithEdgeCases {

  /** Values per edge-case run; 32 is the smallest group size of the formats tested. */
  private static final int RUN = 32;

  private WeightsWithEdgeCases() {}

  /**
   * Returns Gaussian values (standard deviation 0.02) rounded to {@code dtype}, with runs of 32 that
   * are all zero, constant, negative only, near 1e-7, or exact halves (k + 0.5 with a 127.5 or 7.5
   * maximum, which scale to .5 ties for int8 and int4), or alternate between the dtype's largest
   * finite value and its negation (a range that overflows float32 for float32 and bfloat16), plus
   * one 40.0 outlier.
   */
  static float[] create(Random random, int rows, int inFeatures, FloatDtype dtype) {
    float[] values = new float[rows * inFeatures];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 0.02);
    }
    int runsPerRow = inFeatures / RUN;
    if (runsPerRow > 0) {
      for (int kind = 0; kind < 7; kind++) {
        int start = random.nextInt(rows) * inFeatures + random.nextInt(runsPerRow) * RUN;
        fillRun(values, start, kind, random, dtype);
      }
    }
    values[random.nextInt(values.length)] = 40f;
    for (int i = 0; i < values.length; i++) {
      values[i] = dtype.round(values[i]);
    }
    return values;
  }

  private static void fillRun(float[] values, int start, int kind, Random random, FloatDtype dtype) {
    for (int i = 0; i < RUN; i++) {
      values[start + i] = switch (kind) {
        case 0 -> 0f;
        case 1 -> 0.0137f;
        case 2 -> -Math.abs(values[start + i]) - 0.001f;
        case 3 -> (float) (random.nextGaussian() * 1e-7);
        case 4 -> i == 0 ? 127.5f : random.nextInt(255) - 127 + 0.5f;
        case 5 -> i == 0 ? 7.5f : random.nextInt(15) - 7 + 0.5f;
        default -> i % 2 == 0 ? largestFinite(dtype) : -largestFinite(dtype);
      };
    }
  }

  private static float largestFinite(FloatDtype dtype) {
    return switch (dtype) {
      case FLOAT32 -> Float.MAX_VALUE;
      case BFLOAT16 -> Float.intBitsToFloat(0x7F7F_0000);
      case FLOAT16 -> 65504f;
    };
  }
}
