package dev.qspark.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quantizes a weight whole and in blocks of 5, 1 and 7 rows, for one config of every format, and
 * checks that joining the blocks gives the whole weight's block and that slicing the whole weight's
 * block gives the blocks, array for array and bit for bit. Blocks without their unpacked values
 * must join into the same stored bytes.
 */
class RowBlocksTest {

  private static final long SEED = 20_261_204L;
  private static final int ROWS = 13;
  private static final int IN_FEATURES = 256;
  private static final int[] BLOCK_ROWS = {5, 1, 7};

  @ParameterizedTest(name = "{0} torchao {1} {2}")
  @CsvSource(delimiter = '|', value = {
      "Int4WeightOnlyConfig(group_size=64)|0.18|cuda",
      "Int4WeightOnlyConfig(group_size=64, int4_packing_format=\"plain_int32\")|0.18|xpu",
      "Int4WeightOnlyConfig(group_size=64, int4_packing_format=\"tile_packed_to_4d\")|0.18|cuda",
      "Int4WeightOnlyConfig(group_size=64, version=1)|0.15|cuda",
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32), version=1)|0.15|cpu",
      "IntxWeightOnlyConfig(weight_dtype=torch.int8, mapping_type=MappingType.ASYMMETRIC, version=2)|0.15|cpu",
      "Int8WeightOnlyConfig(version=1)|0.15|cpu",
      "Int8WeightOnlyConfig(granularity=PerRow(), version=2)|0.18|cpu",
      "Int8WeightOnlyConfig(granularity=PerTensor(), version=2)|0.18|cpu",
      "UIntXWeightOnlyConfig(dtype=torch.uint7, group_size=32)|0.15|cpu",
      "UIntXWeightOnlyConfig(dtype=torch.uint3, group_size=128)|0.16|cpu",
      "UIntXWeightOnlyConfig(dtype=torch.uint4)|0.15|cpu",
  })
  void joinAndSliceInvertEachOther(String text, String release, String device) {
    QuantConfig config = QuantConfigs.parse(text, TorchaoRelease.parse(release), DeviceArithmetic.parse(device));
    WeightQuantizer quantizer = Quantizers.forConfig(config);
    Random random = new Random(SEED ^ text.hashCode());
    float[] values = new float[ROWS * IN_FEATURES];
    for (int i = 0; i < values.length; i++) {
      values[i] = FloatDtype.roundToBfloat16((float) random.nextGaussian() * 0.02f);
    }
    TensorRange range = quantizer.needsTensorRange() ? TensorRange.of(values) : null;
    QuantizedBlock whole = quantizer.quantize(
        WeightBlock.wholeTensor(values, ROWS, IN_FEATURES, FloatDtype.BFLOAT16), range);

    List<QuantizedBlock> parts = new ArrayList<>();
    int rowStart = 0;
    for (int rows : BLOCK_ROWS) {
      float[] blockValues = Arrays.copyOfRange(values, rowStart * IN_FEATURES, (rowStart + rows) * IN_FEATURES);
      parts.add(quantizer.quantize(
          new WeightBlock(blockValues, rowStart, rows, ROWS, IN_FEATURES, FloatDtype.BFLOAT16), range));
      rowStart += rows;
    }
    QuantizedBlock joined = quantizer.join(parts);
    List<QuantizedBlock> slices = new ArrayList<>();
    rowStart = 0;
    for (int rows : BLOCK_ROWS) {
      slices.add(quantizer.slice(whole, rowStart, rows));
      rowStart += rows;
    }

    assertThat(joined.rowCount()).isEqualTo(whole.rowCount());
    assertThat(joined.inFeatures()).isEqualTo(whole.inFeatures());
    assertThat(joined.groupsPerRow()).isEqualTo(whole.groupsPerRow());
    assertThat(joined.qvalues()).as("qvalues").isEqualTo(whole.qvalues());
    assertThat(joined.qdata()).as("qdata").isEqualTo(whole.qdata());
    assertThat(bits(joined.scale())).as("scale bits").isEqualTo(bits(whole.scale()));
    assertThat(bits(joined.zeroPoint())).as("zero point bits").isEqualTo(bits(whole.zeroPoint()));

    QuantizedBlock storedOnly = quantizer.join(parts.stream().map(QuantizedBlock::withoutQvalues).toList());
    boolean packed = whole.qdata() != whole.qvalues();
    assertThat(storedOnly.qvalues()).as("qvalues joined without them").isEqualTo(packed ? null : whole.qvalues());
    assertThat(storedOnly.qdata()).as("qdata joined without qvalues").isEqualTo(whole.qdata());
    assertThat(bits(storedOnly.scale())).as("scale bits joined without qvalues").isEqualTo(bits(whole.scale()));
    assertThat(bits(storedOnly.zeroPoint())).as("zero point bits joined without qvalues")
        .isEqualTo(bits(whole.zeroPoint()));
    if (packed) {
      List<QuantizedBlock> mixed = List.of(parts.get(0), parts.get(1).withoutQvalues(), parts.get(2));
      assertThatThrownBy(() -> quantizer.join(mixed)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("blocks with qvalues and blocks without them");
    }

    for (int i = 0; i < parts.size(); i++) {
      QuantizedBlock part = parts.get(i);
      QuantizedBlock slice = slices.get(i);
      assertThat(slice.rowCount()).as("slice %d rows", i).isEqualTo(part.rowCount());
      assertThat(slice.qvalues()).as("slice %d qvalues", i).isEqualTo(part.qvalues());
      assertThat(slice.qdata()).as("slice %d qdata", i).isEqualTo(part.qdata());
      assertThat(bits(slice.scale())).as("slice %d scale bits", i).isEqualTo(bits(part.scale()));
      assertThat(bits(slice.zeroPoint())).as("slice %d zero point bits", i).isEqualTo(bits(part.zeroPoint()));
    }
  }

  private static int[] bits(float[] values) {
    if (values == null) {
      return null;
    }
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
