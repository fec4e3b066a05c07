package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.Applicability.Status;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import org.junit.jupiter.api.Test;

class FormatApplicabilityTest {

  private static final Granularity GROUP_32 = new Granularity.PerGroup(32);

  @Test
  void intxGroupNotDividingRowRejected() {
    WeightQuantizer quantizer = new IntxWeightOnlyV2Quantizer(
        4, GROUP_32, MappingType.SYMMETRIC, null, TorchaoRelease.V0_18, DeviceArithmetic.CPU);

    Applicability applicability = quantizer.applicability(8, 80, FloatDtype.BFLOAT16);

    assertThat(applicability.status()).isEqualTo(Status.REJECT);
    assertThat(applicability.reason()).contains("80").contains("32");
    WeightBlock block = WeightBlock.wholeTensor(new float[8 * 80], 8, 80, FloatDtype.BFLOAT16);
    assertThatThrownBy(() -> quantizer.quantize(block, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot quantize a 8 x 80 bfloat16 weight with IntxWeightOnlyConfig(version=2)");
  }

  @Test
  void int4PlainInt32GroupNotDividingRowSkipped() {
    WeightQuantizer quantizer = new Int4PlainInt32Quantizer(32, TorchaoRelease.V0_18, DeviceArithmetic.XPU);

    assertThat(quantizer.applicability(8, 80, FloatDtype.BFLOAT16).status()).isEqualTo(Status.SKIP);
    assertThat(quantizer.applicability(8, 80, FloatDtype.FLOAT32).status())
        .as("the skip comes before the dtype check").isEqualTo(Status.SKIP);
    assertThat(quantizer.applicability(8, 64, FloatDtype.FLOAT32).status()).isEqualTo(Status.REJECT);
    assertThat(quantizer.applicability(8, 64, FloatDtype.BFLOAT16).status()).isEqualTo(Status.QUANTIZE);
  }

  @Test
  void int1NoClippingRejected() {
    WeightQuantizer quantizer = new IntxWeightOnlyV2Quantizer(
        1, GROUP_32, MappingType.SYMMETRIC_NO_CLIPPING_ERR, null, TorchaoRelease.V0_15, DeviceArithmetic.CPU);

    Applicability applicability = quantizer.applicability(4, 64, FloatDtype.FLOAT32);

    assertThat(applicability.status()).isEqualTo(Status.REJECT);
    assertThat(applicability.reason()).contains("quant_max");
  }

  @Test
  void float16RejectedWhereScaleReciprocalOverflows() {
    assertThat(float16Status(new Int8WeightOnlyV1Quantizer(null, TorchaoRelease.V0_17, DeviceArithmetic.CPU)))
        .isEqualTo(Status.REJECT);
    assertThat(float16Status(new Int8WeightOnlyV2Quantizer(new Granularity.PerRow(), TorchaoRelease.V0_16,
        DeviceArithmetic.CPU))).isEqualTo(Status.REJECT);
    assertThat(float16Status(new Int8WeightOnlyV2Quantizer(new Granularity.PerRow(), TorchaoRelease.V0_17,
        DeviceArithmetic.CPU))).isEqualTo(Status.REJECT);
    assertThat(float16Status(new UIntXWeightOnlyQuantizer(4, 32, TorchaoRelease.V0_16, DeviceArithmetic.CPU)))
        .isEqualTo(Status.REJECT);
    assertThat(float16Status(new Int4PlainInt32Quantizer(32, TorchaoRelease.V0_18, DeviceArithmetic.XPU)))
        .isEqualTo(Status.REJECT);
  }

  @Test
  void float16AcceptedWhereScaleReciprocalFits() {
    // 0.15 clamps at float16's own eps; 0.18 keeps a float32 scale.
    assertThat(float16Status(new Int8WeightOnlyV2Quantizer(new Granularity.PerRow(), TorchaoRelease.V0_15,
        DeviceArithmetic.CPU))).isEqualTo(Status.QUANTIZE);
    assertThat(float16Status(new Int8WeightOnlyV2Quantizer(new Granularity.PerRow(), TorchaoRelease.V0_18,
        DeviceArithmetic.CPU))).isEqualTo(Status.QUANTIZE);
    for (TorchaoRelease release : TorchaoRelease.values()) {
      assertThat(float16Status(new IntxWeightOnlyV2Quantizer(
          4, GROUP_32, MappingType.ASYMMETRIC, null, release, DeviceArithmetic.CPU)))
          .as("Intx v2 at %s", release).isEqualTo(Status.QUANTIZE);
    }
  }

  @Test
  void float16ScaleDtypeWithFloat32EpsRejected() {
    WeightQuantizer quantizer = new IntxWeightOnlyV2Quantizer(
        4, GROUP_32, MappingType.SYMMETRIC, FloatDtype.FLOAT16, TorchaoRelease.V0_15, DeviceArithmetic.CPU);

    assertThat(quantizer.applicability(4, 64, FloatDtype.FLOAT32).status()).isEqualTo(Status.REJECT);
    assertThat(quantizer.applicability(4, 64, FloatDtype.FLOAT16).status()).isEqualTo(Status.QUANTIZE);
  }

  @Test
  void uintxRowNotMultipleOfEightRejected() {
    WeightQuantizer quantizer = new UIntXWeightOnlyQuantizer(3, 4, TorchaoRelease.V0_15, DeviceArithmetic.CPU);

    assertThat(quantizer.applicability(2, 12, FloatDtype.BFLOAT16).status()).isEqualTo(Status.REJECT);
    assertThat(quantizer.applicability(2, 16, FloatDtype.BFLOAT16).status()).isEqualTo(Status.QUANTIZE);
  }

  @Test
  void configsMissingFromReleaseRejected() {
    assertThatThrownBy(() -> new IntxWeightOnlyV1Quantizer(
        4, GROUP_32, MappingType.SYMMETRIC, null, TorchaoRelease.V0_16, DeviceArithmetic.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.16");
    assertThatThrownBy(() -> new Int8WeightOnlyV1Quantizer(null, TorchaoRelease.V0_18, DeviceArithmetic.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.18");
    assertThatThrownBy(() -> new UIntXWeightOnlyQuantizer(4, 32, TorchaoRelease.V0_17, DeviceArithmetic.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.17");
    assertThatThrownBy(() -> new Int8WeightOnlyV2Quantizer(GROUP_32, TorchaoRelease.V0_16, DeviceArithmetic.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PerGroup(32)");
  }

  @Test
  void unsupportedParametersRejected() {
    assertThatThrownBy(() -> new UIntXWeightOnlyQuantizer(8, 32, TorchaoRelease.V0_15, DeviceArithmetic.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uint8");
    assertThatThrownBy(() -> new IntxWeightOnlyV1Quantizer(
        4, GROUP_32, MappingType.SYMMETRIC_NO_CLIPPING_ERR, null, TorchaoRelease.V0_15, DeviceArithmetic.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SYMMETRIC_NO_CLIPPING_ERR");
    assertThatThrownBy(() -> new IntxWeightOnlyV2Quantizer(
        9, GROUP_32, MappingType.SYMMETRIC, null, TorchaoRelease.V0_15, DeviceArithmetic.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int9");
    assertThatThrownBy(() -> new IntxWeightOnlyV2Quantizer(
        4, new Granularity.PerAxis(1), MappingType.SYMMETRIC, null, TorchaoRelease.V0_15, DeviceArithmetic.CPU))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PerAxis(1)");
    assertThatThrownBy(() -> new Int4PlainInt32Quantizer(32, TorchaoRelease.V0_18, DeviceArithmetic.CUDA))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("XPU");
  }

  @Test
  void perTensorNeedsTensorRange() {
    WeightQuantizer quantizer =
        new Int8WeightOnlyV2Quantizer(new Granularity.PerTensor(), TorchaoRelease.V0_18, DeviceArithmetic.CPU);
    WeightBlock block = WeightBlock.wholeTensor(new float[2 * 8], 2, 8, FloatDtype.FLOAT32);

    assertThat(quantizer.needsTensorRange()).isTrue();
    assertThatThrownBy(() -> quantizer.quantize(block, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TensorRange");
  }

  private static Status float16Status(WeightQuantizer quantizer) {
    return quantizer.applicability(4, 64, FloatDtype.FLOAT16).status();
  }
}
