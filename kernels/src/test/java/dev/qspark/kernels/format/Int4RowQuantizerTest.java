package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.DeviceArithmetic;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Int4RowQuantizerTest {

  private static final long SEED = 8_128L;

  @Test
  void finiteScaleShortcutMatchesClampedFormula() {
    Random random = new Random(SEED);
    for (DeviceArithmetic device : DeviceArithmetic.values()) {
      for (int trial = 0; trial < 5_000; trial++) {
        float[] group = randomGroup(random, 32);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float value : group) {
          min = Math.min(min, value);
          max = Math.max(max, value);
        }
        float scale = Int4RowQuantizer.scale(min, max, device);
        if (!Float.isFinite(scale)) {
          continue;
        }
        for (float value : group) {
          int expected = clampedFormula(value, min, scale);

          assertThat(Int4RowQuantizer.quantizeFiniteScale(value, min, scale))
              .as("%s: %s in [%s, %s]", device, value, min, max)
              .isEqualTo(expected);
          assertThat(Int4RowQuantizer.quantize(value, min, scale))
              .as("%s: %s in [%s, %s]", device, value, min, max)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void overflowingRangeQuantizesToLowest() {
    float min = -Float.MAX_VALUE;
    float scale = Int4RowQuantizer.scale(min, Float.MAX_VALUE, DeviceArithmetic.CUDA);

    assertThat(scale).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Int4RowQuantizer.quantize(Float.MAX_VALUE, min, scale)).isEqualTo(-8);
    assertThat(Int4RowQuantizer.quantize(0.0f, min, scale)).isEqualTo(-8);
  }

  /** fbgemm's formula written out with double rounding: clamp(rint((x - min) / scale), 0, 15) - 8. */
  private static int clampedFormula(float value, float min, float scale) {
    double rounded = Math.rint((value - min) / scale);
    return (int) Math.min(Math.max(rounded, 0), 15) - 8;
  }

  /** Gaussian values at a random magnitude, sometimes constant, tiny or on exact .5 steps of the scale. */
  private static float[] randomGroup(Random random, int length) {
    float[] group = new float[length];
    double magnitude = Math.pow(10, random.nextInt(14) - 10);
    int kind = random.nextInt(4);
    for (int i = 0; i < length; i++) {
      group[i] = switch (kind) {
        case 0 -> 0.0137f;
        case 1 -> i == 0 ? 7.5f : random.nextInt(15) - 7 + 0.5f;
        default -> (float) (random.nextGaussian() * magnitude);
      };
    }
    return group;
  }
}
