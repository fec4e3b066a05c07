package dev.qspark.kernels.affine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupRangeTest {

  private static final long SEED = 31_337L;

  @Test
  void rangeMatchesMathMinAndMax() {
    Random random = new Random(SEED);
    float[] specials = {0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-7f};
    for (int trial = 0; trial < 2_000; trial++) {
      int length = 1 + random.nextInt(40);
      float[] values = new float[length + 3];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextInt(4) == 0
            ? specials[random.nextInt(specials.length)]
            : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
      }
      int offset = random.nextInt(3);
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (int i = offset; i < offset + length; i++) {
        min = Math.min(min, values[i]);
        max = Math.max(max, values[i]);
      }

      long range = GroupRange.of(values, offset, length);

      assertThat(Float.floatToRawIntBits(GroupRange.min(range))).as("min bits, trial %d", trial)
          .isEqualTo(Float.floatToRawIntBits(min));
      assertThat(Float.floatToRawIntBits(GroupRange.max(range))).as("max bits, trial %d", trial)
          .isEqualTo(Float.floatToRawIntBits(max));
      assertThat(GroupRange.isFinite(range)).as("finite, trial %d", trial).isTrue();
    }
  }

  @Test
  void maxMagnitudeMatchesMathAbs() {
    Random random = new Random(SEED + 1);
    for (int trial = 0; trial < 2_000; trial++) {
      float[] values = new float[1 + random.nextInt(40)];
      float expected = 0.0f;
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextInt(5) == 0 ? -0.0f : (float) (random.nextGaussian() * 1e-3);
        expected = Math.max(expected, Math.abs(values[i]));
      }

      assertThat(Float.floatToRawIntBits(GroupRange.maxMagnitude(values, 0, values.length)))
          .as("trial %d", trial)
          .isEqualTo(Float.floatToRawIntBits(expected));
    }
  }

  @Test
  void maxMagnitudeOfNanIsNonFinite() {
    assertThat(GroupRange.maxMagnitude(new float[] {1.0f, Float.intBitsToFloat(0xFFC0_0000)}, 0, 2)).isNaN();
    assertThat(GroupRange.maxMagnitude(new float[] {Float.NEGATIVE_INFINITY, 2.0f}, 0, 2)).isInfinite();
  }

  @Test
  void negativeZeroIsBelowZero() {
    long range = GroupRange.of(new float[] {0.0f, -0.0f, 0.0f}, 0, 3);

    assertThat(Float.floatToRawIntBits(GroupRange.min(range))).isEqualTo(Float.floatToRawIntBits(-0.0f));
    assertThat(Float.floatToRawIntBits(GroupRange.max(range))).isEqualTo(Float.floatToRawIntBits(0.0f));
  }

  @Test
  void nanOrInfinityMakesRangeNonFinite() {
    float[] nonFinite = {
      Float.NaN, Float.intBitsToFloat(0xFFC0_0000), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
    };
    for (float bad : nonFinite) {
      for (int position = 0; position < 5; position++) {
        float[] values = {0.5f, -0.25f, 1.0f, -2.0f, 0.0f};
        values[position] = bad;

        assertThat(GroupRange.isFinite(GroupRange.of(values, 0, values.length)))
            .as("%s at %d", Float.floatToRawIntBits(bad), position)
            .isFalse();
      }
    }
  }

  @Test
  void emptyRunIsInfinitePair() {
    long range = GroupRange.of(new float[4], 2, 0);

    assertThat(GroupRange.min(range)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(GroupRange.max(range)).isEqualTo(Float.NEGATIVE_INFINITY);
  }
}
