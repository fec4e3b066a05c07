package dev.qspark.kernels.affine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.FloatDtype;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantizeAffineTest {

  private static final long SEED = 5_150L;

  @Test
  void runMatchesValueByValueReference() {
    Random random = new Random(SEED);
    for (int trial = 0; trial < 3_000; trial++) {
      FloatDtype dtype = FloatDtype.values()[random.nextInt(3)];
      int bits = 1 + random.nextInt(8);
      QuantBounds bounds = random.nextBoolean() ? QuantBounds.signed(bits) : QuantBounds.unsigned(bits);
      int zeroPoint = bounds.quantMin() + random.nextInt(bounds.quantMax() - bounds.quantMin() + 1);
      float scale = dtype.round((float) Math.pow(10, random.nextInt(12) - 9) * (0.5f + random.nextFloat()));
      float reciprocal = dtype.round(1.0f / scale);
      float[] values = randomValues(random, 40, dtype, scale);
      byte[] actual = new byte[values.length + 2];

      QuantizeAffine.quantizeRun(values, 0, values.length, reciprocal, zeroPoint, dtype, bounds.quantMin(),
          bounds.quantMax(), actual, 2);

      for (int i = 0; i < values.length; i++) {
        byte expected = QuantizeAffine.quantizeValue(
            values[i], reciprocal, zeroPoint, dtype, bounds.quantMin(), bounds.quantMax());
        assertThat(actual[2 + i])
            .as("%s %s zero %d: %s * %s", dtype.torchName(), bounds, zeroPoint, values[i], reciprocal)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void infiniteReciprocalTakesReference() {
    float[] values = {0.0f, 1.0f, -1.0f};
    byte[] actual = new byte[3];

    QuantizeAffine.quantizeRun(values, 0, 3, Float.POSITIVE_INFINITY, 3, FloatDtype.FLOAT16, -8, 7, actual, 0);

    for (int i = 0; i < values.length; i++) {
      assertThat(actual[i]).as("value %s", values[i])
          .isEqualTo(QuantizeAffine.quantizeValue(values[i], Float.POSITIVE_INFINITY, 3, FloatDtype.FLOAT16, -8, 7));
    }
  }

  /** Values around the scale's range, with exact .5 ties, zeros and values that overflow the product. */
  private static float[] randomValues(Random random, int length, FloatDtype dtype, float scale) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      float value = switch (random.nextInt(5)) {
        case 0 -> (random.nextInt(600) - 300 + 0.5f) * scale;
        case 1 -> 0.0f;
        case 2 -> (random.nextBoolean() ? 1 : -1) * 1e30f;
        default -> (float) (random.nextGaussian() * 200 * scale);
      };
      float rounded = dtype.round(value);
      values[i] = Float.isFinite(rounded) ? rounded : 0.0f;
    }
    return values;
  }
}
