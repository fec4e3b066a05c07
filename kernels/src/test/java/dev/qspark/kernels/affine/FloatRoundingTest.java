package dev.qspark.kernels.affine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatRoundingTest {

  private static final long SEED = 4_242L;

  @Test
  void rintToIntMatchesMathRint() {
    float limit = 0x1.0p22f;
    float[] cases = {
      0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f, 7.5f, 14.5f, 15.5f,
      limit, -limit, Math.nextUp(limit), Math.nextDown(-limit), limit - 0.5f, -limit + 0.5f, 0x1.0p23f, 0x1.8p23f,
      3e9f, -3e9f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, Float.NaN,
    };
    for (float x : cases) {
      assertThat(FloatRounding.rintToInt(x)).as("rint of %s", x).isEqualTo((int) Math.rint(x));
    }
    Random random = new Random(SEED);
    for (int i = 0; i < 200_000; i++) {
      float x = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(26)));
      if (random.nextInt(8) == 0) {
        x = Math.round(x) + 0.5f;
      }
      assertThat(FloatRounding.rintToInt(x)).as("rint of %s", x).isEqualTo((int) Math.rint(x));
    }
  }
}
