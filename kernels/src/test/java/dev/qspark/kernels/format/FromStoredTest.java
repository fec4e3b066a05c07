package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rebuilds blocks from their stored arrays alone and checks that they dequantize to the same
 * values as the blocks {@code quantize} returned, for every format, bit width and mapping.
 */
class FromStoredTest {

  private static final int ROWS = 5;
  private static final int IN_FEATURES = 128;

  static Stream<WeightQuantizer> everyFormat() {
    List<WeightQuantizer> formats = new ArrayList<>();
    Granularity group32 = new Granularity.PerGroup(32);
    Granularity perAxis = new Granularity.PerAxis(0);
    for (int bits = 1; bits <= 8; bits++) {
      for (MappingType mapping : MappingType.values()) {
        if (mapping != MappingType.SYMMETRIC_NO_CLIPPING_ERR) {
          formats.add(new IntxWeightOnlyV1Quantizer(bits, group32, mapping, null, TorchaoRelease.V0_15,
              DeviceArithmetic.CPU));
        }
        // SYMMETRIC_NO_CLIPPING_ERR divides by quant_max, which is 0 for int1, so no int1 weight is quantized.
        if (mapping != MappingType.SYMMETRIC_NO_CLIPPING_ERR || bits > 1) {
          formats.add(new IntxWeightOnlyV2Quantizer(bits, group32, mapping, null, TorchaoRelease.V0_18,
              DeviceArithmetic.CPU));
        }
      }
      formats.add(new IntxWeightOnlyV2Quantizer(bits, perAxis, MappingType.ASYMMETRIC, FloatDtype.FLOAT32,
          TorchaoRelease.V0_15, DeviceArithmetic.CUDA));
    }

    for (int bits = 1; bits <= 7; bits++) {
      formats.add(new UIntXWeightOnlyQuantizer(bits, 32, TorchaoRelease.V0_16, DeviceArithmetic.CPU));
    }

    formats.add(new Int8WeightOnlyV1Quantizer(null, TorchaoRelease.V0_15, DeviceArithmetic.CPU));
    formats.add(new Int8WeightOnlyV1Quantizer(64, TorchaoRelease.V0_17, DeviceArithmetic.CPU));
    for (TorchaoRelease release : TorchaoRelease.values()) {
      formats.add(new Int8WeightOnlyV2Quantizer(new Granularity.PerRow(), release, DeviceArithmetic.CPU));
      formats.add(new Int8WeightOnlyV2Quantizer(new Granularity.PerTensor(), release, DeviceArithmetic.CPU));
    }
    formats.add(new Int8WeightOnlyV2Quantizer(group32, TorchaoRelease.V0_17, DeviceArithmetic.CPU));

    formats.add(new Int4PlainQuantizer(32, TorchaoRelease.V0_15));
    formats.add(new Int4PlainQuantizer(128, TorchaoRelease.V0_18, DeviceArithmetic.XPU));
    formats.add(new Int4PlainInt32Quantizer(32, TorchaoRelease.V0_18, DeviceArithmetic.XPU));
    formats.add(new Int4TinygemmV1Quantizer(32));
    formats.add(new Int4TilePackedTo4dQuantizer(64, TorchaoRelease.V0_15));
    formats.add(new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_18, DeviceArithmetic.CUDA, 16));
    return formats.stream();
  }

  @ParameterizedTest
  @MethodSource("everyFormat")
  void storedArraysDequantizeAlike(WeightQuantizer format) {
    int quantizedDtypes = 0;
    for (FloatDtype dtype : FloatDtype.values()) {
      if (!format.applicability(ROWS, IN_FEATURES, dtype).isQuantized()) {
        continue;
      }
      quantizedDtypes++;
      WeightBlock block = randomBlock(dtype, 7000 + dtype.ordinal());
      QuantizedBlock original = format.quantize(block, TensorRange.of(block.values()));

      QuantizedBlock rebuilt = format.fromStored(
          ROWS, IN_FEATURES, original.qdata().clone(), original.scale().clone(),
          original.zeroPoint() == null ? null : original.zeroPoint().clone());

      assertThat(rebuilt.qvalues()).as("%s %s qvalues", format, dtype).containsExactly(original.qvalues());
      assertThat(rebuilt.groupsPerRow()).as("%s %s groups", format, dtype).isEqualTo(original.groupsPerRow());
      assertThat(bits(format.dequantize(rebuilt, dtype)))
          .as("%s %s dequantized", format, dtype)
          .containsExactly(bits(format.dequantize(original, dtype)));
    }
    assertThat(quantizedDtypes).as("dtypes %s quantizes", format).isPositive();
  }

  @ParameterizedTest
  @MethodSource("everyFormat")
  void truncatedQdataRejected(WeightQuantizer format) {
    QuantizedBlock original = quantizeBfloat16(format);
    byte[] truncated = Arrays.copyOf(original.qdata(), original.qdata().length - 1);

    assertThatThrownBy(() -> format.fromStored(
            ROWS, IN_FEATURES, truncated, original.scale(), original.zeroPoint()))
        .as("%s", format)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot rebuild a stored")
        .hasMessageContaining("qdata has " + truncated.length + " bytes, expected " + original.qdata().length);
  }

  @ParameterizedTest
  @MethodSource("everyFormat")
  void missingScaleRejected(WeightQuantizer format) {
    QuantizedBlock original = quantizeBfloat16(format);
    float[] tooLong = Arrays.copyOf(original.scale(), original.scale().length + 1);

    assertThatThrownBy(() -> format.fromStored(ROWS, IN_FEATURES, original.qdata(), tooLong, original.zeroPoint()))
        .as("%s", format)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scale has " + tooLong.length + " values, expected " + original.scale().length);
  }

  @ParameterizedTest
  @MethodSource("everyFormat")
  void zeroPointPresenceChecked(WeightQuantizer format) {
    QuantizedBlock original = quantizeBfloat16(format);
    float[] wrongZeroPoint = original.zeroPoint() == null ? new float[original.scale().length] : null;

    assertThatThrownBy(() -> format.fromStored(ROWS, IN_FEATURES, original.qdata(), original.scale(), wrongZeroPoint))
        .as("%s", format)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero_point");
  }

  @Test
  void intxValueOutsideBitsRejected() {
    WeightQuantizer int4 = new IntxWeightOnlyV2Quantizer(4, new Granularity.PerGroup(32), MappingType.SYMMETRIC,
        null, TorchaoRelease.V0_15, DeviceArithmetic.CPU);
    QuantizedBlock original = quantizeBfloat16(int4);
    byte[] qdata = original.qdata().clone();
    qdata[40] = 8;

    assertThatThrownBy(() -> int4.fromStored(ROWS, IN_FEATURES, qdata, original.scale(), original.zeroPoint()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("qdata value 8 at element 40 is outside [-8, 7]");
  }

  @Test
  void tinygemmPaddingChecked() {
    WeightQuantizer tinygemm = new Int4TinygemmV1Quantizer(32);
    QuantizedBlock original = quantizeBfloat16(tinygemm);
    byte[] qdata = original.qdata().clone();
    int bytesPerRow = 512;
    qdata[bytesPerRow + 100] = 0x01;

    assertThatThrownBy(() -> tinygemm.fromStored(ROWS, IN_FEATURES, qdata, original.scale(), original.zeroPoint()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("padding column 201 of row 1 holds 1, expected 0");
  }

  @Test
  void perTensorStoresOneScale() {
    WeightQuantizer perTensor =
        new Int8WeightOnlyV2Quantizer(new Granularity.PerTensor(), TorchaoRelease.V0_17, DeviceArithmetic.CPU);
    QuantizedBlock original = quantizeBfloat16(perTensor);

    QuantizedBlock rebuilt = perTensor.fromStored(ROWS, IN_FEATURES, original.qdata(), original.scale(),
        original.zeroPoint());

    assertThat(rebuilt.scale()).hasSize(1);
    assertThat(rebuilt.zeroPoint()).hasSize(1);
    assertThat(rebuilt.groupsPerRow()).isEqualTo(1);
  }

  private static QuantizedBlock quantizeBfloat16(WeightQuantizer format) {
    WeightBlock block = randomBlock(FloatDtype.BFLOAT16, 91);
    return format.quantize(block, TensorRange.of(block.values()));
  }

  /** Normal values with a few outliers ten times larger, rounded to {@code dtype}. */
  private static WeightBlock randomBlock(FloatDtype dtype, long seed) {
    Random random = new Random(seed);
    float[] values = new float[ROWS * IN_FEATURES];
    for (int i = 0; i < values.length; i++) {
      double value = random.nextGaussian() * 0.02;
      if (random.nextInt(64) == 0) {
        value *= 10;
      }
      values[i] = dtype.round((float) value);
    }
    return WeightBlock.wholeTensor(values, ROWS, IN_FEATURES, dtype);
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToIntBits(values[i]);
    }
    return bits;
  }
}
