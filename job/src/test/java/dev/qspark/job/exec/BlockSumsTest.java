package dev.qspark.job.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qspark.kernels.KernelPath;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockSumsTest {

  /** Relative difference allowed between the partial sums and one sequential double sum. */
  private static final double SUM_ORDER_TOLERANCE = 1e-12;

  private static float[][] block(int length, long seed) {
    Random random = new Random(seed);
    float[] input = new float[length];
    float[] dequantized = new float[length];
    for (int i = 0; i < length; i++) {
      input[i] = (float) random.nextGaussian() * 0.02f;
      dequantized[i] = input[i] + (float) random.nextGaussian() * 0.001f;
    }
    return new float[][] {input, dequantized};
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 8, 9, 1000, 4099})
  void vectorPathMatchesScalarExactly(int length) {
    float[][] block = block(length, length);

    BlockSums scalar = BlockSums.compare(block[0], block[1], 5, KernelPath.SCALAR);
    BlockSums vector = BlockSums.compare(block[0], block[1], 5, KernelPath.VECTOR);

    assertThat(vector).isEqualTo(scalar);
  }

  /** Both vector bodies run on a CPU with 512-bit vectors; the 256-bit one is what AVX2 machines run. */
  @ParameterizedTest
  @ValueSource(ints = {0, 16, 4096})
  void wideAndNarrowVectorBodiesAddTheSamePartialSums(int length) {
    float[][] block = block(length + 16, 5);
    double[] scalar = new double[33];
    for (int i = 0; i < length; i++) {
      double x = block[0][i + 16];
      double error = (double) block[1][i + 16] - x;
      scalar[i % 16] += error * error;
      scalar[16 + i % 16] += x * x;
      scalar[32] = Math.max(scalar[32], Math.abs(error));
    }
    double[] wide = new double[33];
    double[] narrow = new double[33];

    VectorBlockComparison.accumulateWide(block[0], block[1], 16, 16 + length, wide);
    VectorBlockComparison.accumulateNarrow(block[0], block[1], 16, 16 + length, narrow);

    assertThat(wide).containsExactly(scalar);
    assertThat(narrow).containsExactly(scalar);
  }

  /** Runs that start off a multiple of 16 exercise the scalar head before the vector body. */
  @ParameterizedTest
  @ValueSource(strings = {"SCALAR", "VECTOR"})
  void anySplitIntoRunsGivesTheSameSums(String path) {
    float[][] block = block(4099, 11);
    dequantizedWithNonFinite(block[1]);
    BlockSums whole = BlockSums.compare(block[0], block[1], 3, KernelPath.VECTOR);

    BlockSumsBuilder builder = new BlockSumsBuilder(KernelPath.valueOf(path));
    int[] runs = {1, 7, 13, 0, 64, 1000, 3, 3011};
    int start = 0;
    for (int run : runs) {
      builder.add(Arrays.copyOfRange(block[0], start, start + run), Arrays.copyOfRange(block[1], start, start + run));
      start += run;
    }

    assertThat(start).isEqualTo(block[0].length);
    assertThat(builder.build(3)).isEqualTo(whole);
    assertThat(whole.nonFiniteCount()).isEqualTo(2);
  }

  private static void dequantizedWithNonFinite(float[] dequantized) {
    dequantized[20] = Float.NaN;
    dequantized[3000] = Float.NEGATIVE_INFINITY;
  }

  @Test
  void sumsMatchSequentialReference() {
    float[][] block = block(10_001, 42);
    double squaredError = 0;
    double signalPower = 0;
    double maxAbsError = 0;
    for (int i = 0; i < block[0].length; i++) {
      double error = (double) block[1][i] - block[0][i];
      squaredError += error * error;
      signalPower += (double) block[0][i] * block[0][i];
      maxAbsError = Math.max(maxAbsError, Math.abs(error));
    }

    BlockSums sums = BlockSums.compare(block[0], block[1], 17);

    assertThat(sums.elements()).isEqualTo(10_001);
    assertThat(sums.storedBytes()).isEqualTo(17);
    assertThat(sums.nonFiniteCount()).isZero();
    assertThat(sums.squaredError()).isCloseTo(squaredError, within(squaredError * SUM_ORDER_TOLERANCE));
    assertThat(sums.signalPower()).isCloseTo(signalPower, within(signalPower * SUM_ORDER_TOLERANCE));
    assertThat(sums.maxAbsError()).isEqualTo(maxAbsError);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SCALAR", "VECTOR"})
  void nonFiniteValuesCountedAndLeftOut(String path) {
    float[] input = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f};
    float[] dequantized = {1f, Float.NaN, 3f, Float.POSITIVE_INFINITY, 5f, 6f, 7f, 8f, 10f};

    BlockSums sums = BlockSums.compare(input, dequantized, 0, KernelPath.valueOf(path));

    assertThat(sums.nonFiniteCount()).isEqualTo(2);
    assertThat(sums.squaredError()).isEqualTo(1.0);
    assertThat(sums.signalPower()).isEqualTo(1 + 9 + 25 + 36 + 49 + 64 + 81);
    assertThat(sums.maxAbsError()).isEqualTo(1.0);
  }

  @Test
  void lengthMismatchRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BlockSums.compare(new float[3], new float[4], 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("3 values with 4 dequantized values");
  }
}
