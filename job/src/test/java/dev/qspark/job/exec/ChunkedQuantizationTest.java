package dev.qspark.job.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quantizes a block of 37 rows of 196 values at once and in chunks of 1, 2 and 5 rows. The chunks
 * must give the same bytes and the same error sums; rows start off a multiple of 16 values, so the
 * sums' scalar head runs too.
 */
class ChunkedQuantizationTest {

  private static final int ROWS = 37;
  private static final int IN_FEATURES = 196;
  private static final long ROW_START = 3;
  private static final long OUT_FEATURES = 50;

  @ParameterizedTest(name = "{0}, chunks of {1} values")
  @CsvSource(delimiter = '|', value = {
      "Int4WeightOnlyConfig(group_size=98)|1",
      "Int4WeightOnlyConfig(group_size=98)|400",
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(28), version=2)|1000",
      "Int8WeightOnlyConfig(granularity=PerTensor(), version=2)|400",
      "IntxWeightOnlyConfig(weight_dtype=torch.int8, mapping_type=MappingType.ASYMMETRIC, version=1)|1000",
      "Int8WeightOnlyConfig(version=1)|100000",
  })
  void chunksGiveTheBytesAndSumsOfTheWholeBlock(String config, int chunkValues) {
    WeightQuantizer quantizer =
        Quantizers.forConfig(QuantConfigs.parse(config, TorchaoRelease.V0_15, DeviceArithmetic.CUDA));
    WeightBlock block = block(new Random(config.hashCode()));
    TensorRange range = quantizer.needsTensorRange() ? new TensorRange(-0.2f, 0.3f) : null;
    QuantizedBlock whole = quantizer.quantize(block, range);
    BlockSums wholeSums = BlockSums.compare(block.values(), quantizer.dequantize(whole, block.dtype()), 9);

    ChunkedQuantization chunks = new ChunkedQuantization(chunkValues, KernelPath.selected());
    ChunkedQuantization.Result chunked = chunks.quantize(quantizer, block, range);
    ChunkedQuantization.Result decodedOnce = chunks.quantize(quantizer, chunks.decodeOnce(UnitRows.of(block)), range);

    for (ChunkedQuantization.Result result : new ChunkedQuantization.Result[] {chunked, decodedOnce}) {
      assertThat(result.block().qdata()).isEqualTo(whole.qdata());
      assertThat(result.block().scale()).isEqualTo(whole.scale());
      assertThat(result.block().zeroPoint()).isEqualTo(whole.zeroPoint());
      assertThat(result.block().rowCount()).isEqualTo(ROWS);
      assertThat(result.sums().build(9)).isEqualTo(wholeSums);
    }
  }

  @ParameterizedTest
  @CsvSource({"1", "1000"})
  void nonFiniteValuesRaiseTheWholeBlocksException(int chunkValues) {
    WeightQuantizer quantizer = Quantizers.forConfig(
        QuantConfigs.parse("Int4WeightOnlyConfig(group_size=98)", TorchaoRelease.V0_15, DeviceArithmetic.CUDA));
    WeightBlock block = block(new Random(7));
    block.values()[5 * IN_FEATURES + 1] = Float.NaN;
    block.values()[30 * IN_FEATURES + 100] = Float.POSITIVE_INFINITY;
    NonFiniteValuesException whole =
        catchThrowableOfType(() -> quantizer.quantize(block, null), NonFiniteValuesException.class);

    NonFiniteValuesException chunked = catchThrowableOfType(
        () -> new ChunkedQuantization(chunkValues, KernelPath.selected()).quantize(quantizer, block, null),
        NonFiniteValuesException.class);

    assertThat(chunked.totalCount()).isEqualTo(2).isEqualTo(whole.totalCount());
    assertThat(chunked).hasMessage(whole.getMessage());
  }

  private static WeightBlock block(Random random) {
    float[] values = new float[ROWS * IN_FEATURES];
    for (int i = 0; i < values.length; i++) {
      values[i] = FloatDtype.roundToBfloat16((float) random.nextGaussian() * 0.05f);
    }
    return new WeightBlock(values, ROW_START, ROWS, OUT_FEATURES, IN_FEATURES, FloatDtype.BFLOAT16);
  }
}
