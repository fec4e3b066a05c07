package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.kernels.Applicability.Status;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.NonFiniteValuesException.NonFiniteGroup;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class Int4FormatsTest {

  private static final List<WeightQuantizer> FORMATS = List.of(
      new Int4PlainQuantizer(32, TorchaoRelease.V0_15),
      new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_15),
      new Int4TinygemmV1Quantizer(32));

  @Test
  void indivisibleInFeaturesSkipped() {
    for (WeightQuantizer format : FORMATS) {
      assertThat(format.applicability(4, 100, FloatDtype.BFLOAT16).status()).as("%s", format).isEqualTo(Status.SKIP);
      WeightBlock block = WeightBlock.wholeTensor(new float[400], 4, 100, FloatDtype.BFLOAT16);
      assertThatThrownBy(() -> format.quantize(block, null))
          .as("%s", format)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot quantize")
          .hasMessageContaining("not divisible by group_size 32");
    }
  }

  @Test
  void skipCheckedBeforeDtype() {
    assertThat(new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_15).applicability(4, 100, FloatDtype.FLOAT32)
        .status()).isEqualTo(Status.SKIP);
    assertThat(new Int4TinygemmV1Quantizer(32).applicability(4, 100, FloatDtype.FLOAT16).status())
        .isEqualTo(Status.SKIP);
  }

  @Test
  void tinygemmFormatsRejectOtherDtypes() {
    for (WeightQuantizer format : FORMATS.subList(1, 3)) {
      for (FloatDtype dtype : List.of(FloatDtype.FLOAT32, FloatDtype.FLOAT16)) {
        assertThat(format.applicability(4, 64, dtype).status()).as("%s %s", format, dtype).isEqualTo(Status.REJECT);
      }
      assertThat(format.applicability(4, 64, FloatDtype.BFLOAT16).status()).isEqualTo(Status.QUANTIZE);
    }
  }

  @Test
  void plainAcceptsEveryDtype() {
    for (FloatDtype dtype : FloatDtype.values()) {
      assertThat(FORMATS.get(0).applicability(4, 64, dtype).status()).as("%s", dtype).isEqualTo(Status.QUANTIZE);
    }
  }

  @Test
  void plainRejectsOddInFeatures() {
    Int4PlainQuantizer format = new Int4PlainQuantizer(3, TorchaoRelease.V0_15);
    assertThat(format.applicability(2, 9, FloatDtype.FLOAT32).status()).isEqualTo(Status.REJECT);
  }

  @Test
  void v1RejectedAfterRelease015() {
    Int4TinygemmV1Quantizer format = new Int4TinygemmV1Quantizer(32, TorchaoRelease.V0_16, DeviceArithmetic.CUDA);
    assertThat(format.applicability(4, 64, FloatDtype.BFLOAT16).status()).isEqualTo(Status.REJECT);
    assertThat(format.applicability(4, 100, FloatDtype.BFLOAT16).status()).isEqualTo(Status.REJECT);
  }

  @Test
  void tinygemmRejectsGroupsNotDividingPaddedInFeatures() {
    Int4TilePackedTo4dQuantizer format = new Int4TilePackedTo4dQuantizer(96, TorchaoRelease.V0_15);
    assertThat(format.applicability(4, 192, FloatDtype.BFLOAT16).status()).isEqualTo(Status.REJECT);
    assertThat(format.applicability(4, 3072, FloatDtype.BFLOAT16).status()).isEqualTo(Status.QUANTIZE);
  }

  @Test
  void nonFiniteGroupsCounted() {
    float[] values = new float[3 * 64];
    values[64] = Float.NaN;
    values[64 + 5] = Float.NaN;
    values[2 * 64 + 40] = Float.POSITIVE_INFINITY;
    WeightBlock block = new WeightBlock(values, 10, 3, 16, 64, FloatDtype.BFLOAT16);
    for (WeightQuantizer format : FORMATS) {
      assertThatThrownBy(() -> format.quantize(block, null))
          .as("%s", format)
          .isInstanceOfSatisfying(NonFiniteValuesException.class, error -> {
            assertThat(error.groups()).containsExactly(new NonFiniteGroup(11, 0, 2), new NonFiniteGroup(12, 1, 1));
            assertThat(error.totalCount()).isEqualTo(3);
          });
    }
  }

  @Test
  void plainQuantizesSmallGroupByHand() {
    Int4PlainQuantizer format = new Int4PlainQuantizer(2, TorchaoRelease.V0_15, DeviceArithmetic.CPU);
    WeightBlock block = WeightBlock.wholeTensor(new float[] {0f, 1.5f, -1f, -1f}, 1, 4, FloatDtype.FLOAT32);

    QuantizedBlock quantized = format.quantize(block, null);

    float scale = 1.5f / 15f;
    assertThat(quantized.qvalues()).containsExactly(-8, 7, -8, -8);
    assertThat(quantized.qdata()).containsExactly(0x78, 0x88);
    assertThat(quantized.scale()).containsExactly(scale, 1e-6f / 15f);
    assertThat(quantized.zeroPoint()).containsExactly(scale * 8f, -1f + (1e-6f / 15f) * 8f);
    assertThat(format.dequantize(quantized, FloatDtype.FLOAT32))
        .containsExactly(0f, 7 * scale + scale * 8f, -1f, -1f);
  }

  @Test
  void tinygemmQuantizesSmallGroupByHand() {
    Int4TinygemmV1Quantizer format = new Int4TinygemmV1Quantizer(2);
    WeightBlock block = WeightBlock.wholeTensor(new float[] {0f, 1.5f}, 1, 2, FloatDtype.BFLOAT16);

    QuantizedBlock quantized = format.quantize(block, null);

    float scale = FloatDtype.roundToBfloat16(1.5f / 15f);
    assertThat(quantized.qvalues()).containsExactly(0, 15);
    assertThat(quantized.qdata()).hasSize(512);
    assertThat(quantized.qdata()[0]).isEqualTo((byte) 0x0F);
    assertThat(quantized.qdata()).containsOnlyOnce(0x0F);
    assertThat(quantized.scale()).containsExactly(scale);
    assertThat(quantized.zeroPoint()).containsExactly(scale * 8f);
  }

  @Test
  void tinygemmEpsFollowsRelease() {
    float[] zeros = new float[32];
    WeightBlock block = WeightBlock.wholeTensor(zeros, 1, 32, FloatDtype.BFLOAT16);
    assertThat(new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_17).quantize(block, null).scale())
        .containsExactly(0.0078125f);
    assertThat(new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_18).quantize(block, null).scale())
        .containsExactly(Float.MIN_NORMAL);
    assertThat(new Int4TinygemmV1Quantizer(32).quantize(block, null).scale())
        .containsExactly(FloatDtype.roundToBfloat16(1e-6f));
  }

  @Test
  void ntileSizeChecked() {
    assertThatThrownBy(() -> new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_16, DeviceArithmetic.CUDA, 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from torchao 0.17");
    assertThatThrownBy(() -> new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_18, DeviceArithmetic.CUDA, 12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 8 or 16");
    assertThat(new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_17, DeviceArithmetic.CUDA, 16)
        .paddedOutFeatures(9)).isEqualTo(16);
    assertThat(new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_17).paddedOutFeatures(9)).isEqualTo(16);
    assertThat(new Int4TilePackedTo4dQuantizer(32, TorchaoRelease.V0_17).paddedOutFeatures(8)).isEqualTo(8);
    assertThat(new Int4TinygemmV1Quantizer(32).paddedOutFeatures(13)).isEqualTo(16);
  }

  @Test
  void invalidGroupSizeRejected() {
    assertThatThrownBy(() -> new Int4PlainQuantizer(0, TorchaoRelease.V0_15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group_size 0");
  }

  @Test
  void dequantizeRejectsWrongSizes() {
    QuantizedBlock truncated = new QuantizedBlock(1, 64, new byte[64], new byte[31], new float[2], new float[2], 2);
    for (WeightQuantizer format : FORMATS) {
      assertThatThrownBy(() -> format.dequantize(truncated, FloatDtype.BFLOAT16))
          .as("%s", format)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot dequantize");
    }
  }

  @Test
  void storageInfoNamesDtypes() {
    WeightQuantizer.StorageInfo plain = FORMATS.get(0).storageInfo(FloatDtype.FLOAT16, 64);
    assertThat(plain.qdataDtype()).isEqualTo("int4");
    assertThat(plain.scaleDtype()).isEqualTo("float16");
    assertThat(plain.zeroPointDtype()).isEqualTo("float16");
    assertThat(plain.blockSize()).containsExactly(1, 32);
    for (WeightQuantizer format : FORMATS.subList(1, 3)) {
      WeightQuantizer.StorageInfo info = format.storageInfo(FloatDtype.BFLOAT16, 64);
      assertThat(info.qdataDtype()).isEqualTo("uint4");
      assertThat(info.scaleDtype()).isEqualTo("bfloat16");
      assertThat(info.zeroPointDtype()).isEqualTo("bfloat16");
    }
  }

  @Test
  void formatsSurviveJavaSerialization() throws Exception {
    for (WeightQuantizer format : FORMATS) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(format);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        assertThat(in.readObject()).isEqualTo(format);
      }
    }
  }
}
