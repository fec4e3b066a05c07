package dev.qspark.kernels.affine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import org.junit.jupiter.api.Test;

class ChooseQParamsTest {

  private static final ChooseQParams ASYMMETRIC_INT8 =
      new ChooseQParams(MappingType.ASYMMETRIC, QuantBounds.signed(8), true, DeviceArithmetic.CPU);

  /** torchao's test_choose_qparams_tensor_asym_eps as of 0.15: the scale is float32's eps. */
  @Test
  void zerosGetFloat32EpsAt015() {
    float[] zeros = new float[10 * 10];
    TensorRange range = TensorRange.of(zeros);
    float eps = EpsDefaults.chooseQParamsDefault(FloatDtype.FLOAT32, TorchaoRelease.V0_15);

    QParams qparams = ASYMMETRIC_INT8.chooseFromRange(range.min(), range.max(), FloatDtype.FLOAT32, eps,
        FloatDtype.FLOAT32);

    assertThat(qparams.scale()).isEqualTo(1.1920929e-07f);
    assertThat(qparams.zeroPoint()).isEqualTo(-128.0f);
  }

  /** The same torchao test from 0.18 on: the default eps is float32's smallest normal. */
  @Test
  void zerosGetSmallestNormalAt018() {
    float[] zeros = new float[10 * 10];
    float eps = EpsDefaults.chooseQParamsDefault(FloatDtype.FLOAT32, TorchaoRelease.V0_18);

    QParams qparams = ASYMMETRIC_INT8.choose(zeros, 0, zeros.length, FloatDtype.FLOAT32, eps, FloatDtype.FLOAT32);

    assertThat(qparams.scale()).isEqualTo(1.1754944e-38f);
    assertThat(qparams.zeroPoint()).isEqualTo(-128.0f);
  }

  @Test
  void bfloat16SymmetricClampsAtBfloat16Eps() {
    ChooseQParams int4 = new ChooseQParams(MappingType.SYMMETRIC, QuantBounds.signed(4), true, DeviceArithmetic.CPU);
    float[] group = {0.03125f, -0.046875f, 0.0f, 0.015625f};
    float eps = EpsDefaults.chooseQParamsDefault(FloatDtype.BFLOAT16, TorchaoRelease.V0_17);

    QParams qparams = int4.choose(group, 0, group.length, FloatDtype.BFLOAT16, eps, FloatDtype.BFLOAT16);

    // 0.046875 / 7.5 = 0.00625 lies below bfloat16's eps 0.0078125, which wins the clamp.
    assertThat(qparams.scale()).isEqualTo(0.0078125f);
    assertThat(qparams.zeroPoint()).isZero();
  }

  @Test
  void asymmetricWithoutPreserveZeroKeepsRange() {
    ChooseQParams keepRange =
        new ChooseQParams(MappingType.ASYMMETRIC, QuantBounds.signed(8), false, DeviceArithmetic.CPU);
    float[] group = {100.0f, 100.5f, 101.0f};

    QParams withoutZero = keepRange.choose(group, 0, group.length, FloatDtype.FLOAT32, 1e-7f, FloatDtype.FLOAT32);
    QParams withZero = ASYMMETRIC_INT8.choose(group, 0, group.length, FloatDtype.FLOAT32, 1e-7f, FloatDtype.FLOAT32);

    assertThat(withoutZero.scale()).isEqualTo(1.0f / 255.0f);
    assertThat(withoutZero.zeroPoint()).as("-128 - round(100 / scale), clamped").isEqualTo(-128.0f);
    assertThat(withZero.scale()).isEqualTo(101.0f / 255.0f);
    assertThat(withZero.zeroPoint()).isEqualTo(-128.0f);
  }

  @Test
  void zeroPointComputedBeforeScaleCast() {
    float[] group = {-0.3f, 0.7f};

    QParams float32Scale = ASYMMETRIC_INT8.choose(group, 0, 2, FloatDtype.FLOAT32, 1e-7f, FloatDtype.FLOAT32);
    QParams bfloat16Scale = ASYMMETRIC_INT8.choose(group, 0, 2, FloatDtype.FLOAT32, 1e-7f, FloatDtype.BFLOAT16);

    assertThat(bfloat16Scale.scale()).isEqualTo(FloatDtype.roundToBfloat16(float32Scale.scale()));
    assertThat(bfloat16Scale.zeroPoint()).isEqualTo(float32Scale.zeroPoint());
  }

  @Test
  void cudaDividesByFloat32Reciprocal() {
    ChooseQParams cpu = new ChooseQParams(MappingType.SYMMETRIC, QuantBounds.signed(8), true, DeviceArithmetic.CPU);
    ChooseQParams cuda = new ChooseQParams(MappingType.SYMMETRIC, QuantBounds.signed(8), true, DeviceArithmetic.CUDA);
    // Search a float32 magnitude where x / 127.5 and x * (1 / 127.5) round differently.
    float magnitude = 0.01f;
    while (magnitude / 127.5f == magnitude * (1.0f / 127.5f)) {
      magnitude = Math.nextUp(magnitude);
    }
    float[] group = {magnitude};

    float cpuScale = cpu.choose(group, 0, 1, FloatDtype.FLOAT32, 1e-7f, FloatDtype.FLOAT32).scale();
    float cudaScale = cuda.choose(group, 0, 1, FloatDtype.FLOAT32, 1e-7f, FloatDtype.FLOAT32).scale();

    assertThat(cpuScale).isEqualTo(magnitude / 127.5f);
    assertThat(cudaScale).isEqualTo(magnitude * (1.0f / 127.5f));
  }

  @Test
  void symmetricWithoutPreserveZeroRejected() {
    assertThatThrownBy(
            () -> new ChooseQParams(MappingType.SYMMETRIC, QuantBounds.signed(8), false, DeviceArithmetic.CPU))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ASYMMETRIC");
  }

  @Test
  void maxMagnitudeMatchesRangeForSymmetric() {
    java.util.Random random = new java.util.Random(77L);
    for (int trial = 0; trial < 5_000; trial++) {
      FloatDtype dtype = FloatDtype.values()[random.nextInt(3)];
      DeviceArithmetic device = DeviceArithmetic.values()[random.nextInt(3)];
      ChooseQParams chooser =
          new ChooseQParams(MappingType.SYMMETRIC, QuantBounds.signed(2 + random.nextInt(7)), true, device);
      float[] group = new float[8];
      int kind = random.nextInt(5);
      for (int i = 0; i < group.length; i++) {
        float value = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(10) - 8));
        group[i] = dtype.round(switch (kind) {
          case 0 -> random.nextBoolean() ? 0.0f : -0.0f;
          case 1 -> Math.abs(value);
          case 2 -> -Math.abs(value);
          default -> value;
        });
      }
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      float magnitude = 0.0f;
      for (float value : group) {
        min = Math.min(min, value);
        max = Math.max(max, value);
        magnitude = Math.max(magnitude, Math.abs(value));
      }
      float eps = EpsDefaults.chooseQParamsDefault(dtype, TorchaoRelease.V0_18);

      QParams fromRange = chooser.chooseFromRange(min, max, dtype, eps, dtype);
      QParams fromMagnitude = chooser.chooseFromMaxMagnitude(magnitude, dtype, eps, dtype);

      assertThat(Float.floatToRawIntBits(fromMagnitude.scale())).as("scale bits, trial %d", trial)
          .isEqualTo(Float.floatToRawIntBits(fromRange.scale()));
      assertThat(fromMagnitude.zeroPoint()).as("zero point, trial %d", trial).isEqualTo(fromRange.zeroPoint());
    }
  }

  @Test
  void maxMagnitudeRejectsAsymmetric() {
    assertThatThrownBy(
            () -> ASYMMETRIC_INT8.chooseFromMaxMagnitude(1.0f, FloatDtype.FLOAT32, 1e-6f, FloatDtype.FLOAT32))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ASYMMETRIC");
  }
}
