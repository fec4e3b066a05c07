package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.NonFiniteValuesException.NonFiniteGroup;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NonFiniteInputTest {

  static Stream<WeightQuantizer> quantizers() {
    return FormatQuantizers.all().stream();
  }

  @ParameterizedTest
  @MethodSource("quantizers")
  void nanAndInfinityCountedPerGroup(WeightQuantizer quantizer) {
    // Rows 4 and 5 of a 10 x 64 bfloat16 weight, two groups of 32 per row.
    float[] values = new float[2 * 64];
    for (int i = 0; i < values.length; i++) {
      values[i] = FloatDtype.roundToBfloat16((i % 7 - 3) * 0.01f);
    }
    values[3] = Float.NaN;
    values[40] = Float.POSITIVE_INFINITY;
    values[41] = Float.NEGATIVE_INFINITY;
    values[64 + 31] = Float.NaN;
    WeightBlock block = new WeightBlock(values, 4, 2, 10, 64, FloatDtype.BFLOAT16);

    NonFiniteValuesException error = catchThrowableOfType(
        NonFiniteValuesException.class, () -> quantizer.quantize(block, new TensorRange(-1.0f, 1.0f)));

    assertThat(error).as("exception from %s", quantizer.getClass().getSimpleName()).isNotNull();
    assertThat(error.groups()).containsExactly(
        new NonFiniteGroup(4, 0, 1), new NonFiniteGroup(4, 1, 2), new NonFiniteGroup(5, 0, 1));
    assertThat(error.totalCount()).isEqualTo(4);
    assertThat(error.getMessage()).contains("row 4, group 0");
  }

  @Test
  void perTensorBlockCountsPerRow() {
    WeightQuantizer quantizer =
        new Int8WeightOnlyV2Quantizer(new Granularity.PerTensor(), TorchaoRelease.V0_18, DeviceArithmetic.CPU);
    float[] values = new float[3 * 16];
    values[16 + 5] = Float.NaN;
    values[2 * 16] = Float.POSITIVE_INFINITY;
    WeightBlock block = new WeightBlock(values, 0, 3, 3, 16, FloatDtype.FLOAT32);

    NonFiniteValuesException error = catchThrowableOfType(
        NonFiniteValuesException.class, () -> quantizer.quantize(block, new TensorRange(-1.0f, 1.0f)));

    assertThat(error).isNotNull();
    assertThat(error.groups()).containsExactly(new NonFiniteGroup(1, 0, 1), new NonFiniteGroup(2, 0, 1));
  }
}
