package dev.qspark.job.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValueDifferencesTest {

  static final float[] SPECIAL = {
    0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, 1e-30f
  };

  @Test
  void vectorMatchesScalar() {
    Random random = new Random(7);
    for (int length : new int[] {0, 1, 7, 8, 9, 16, 33, 1000, 4099}) {
      for (int trial = 0; trial < 20; trial++) {
        float[] v1 = new float[length];
        float[] v2 = new float[length];
        for (int i = 0; i < length; i++) {
          v1[i] = trial % 4 == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextFloat() * 4 - 2;
          v2[i] = random.nextInt(3) == 0 ? v1[i] : trial % 4 == 0
              ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextFloat() * 4 - 2;
        }
        ValueDifferences scalar = ValueDifferences.of(v1, v2, KernelPath.SCALAR);
        ValueDifferences vector = ValueDifferences.of(v1, v2, KernelPath.VECTOR);
        assertThat(vector).as("length %d, trial %d", length, trial).isEqualTo(scalar);
      }
    }
  }

  @Test
  void equalInfinitiesDoNotDiffer() {
    float[] v1 = new float[16];
    float[] v2 = new float[16];
    v1[3] = Float.POSITIVE_INFINITY;
    v2[3] = Float.POSITIVE_INFINITY;
    v1[12] = Float.NEGATIVE_INFINITY;
    v2[12] = Float.NEGATIVE_INFINITY;
    v2[5] = 0.5f;
    for (KernelPath path : KernelPath.values()) {
      ValueDifferences differences = ValueDifferences.of(v1, v2, path);
      assertThat(differences.differing()).as(path.name()).isEqualTo(1);
      assertThat(differences.maxAbsDifference()).as(path.name()).isEqualTo(0.5);
    }
  }

  @Test
  void nanMakesMaximumNan() {
    float[] v1 = new float[20];
    float[] v2 = new float[20];
    v1[2] = Float.NaN;
    v2[2] = Float.NaN;
    v2[17] = 3f;
    for (KernelPath path : KernelPath.values()) {
      ValueDifferences differences = ValueDifferences.of(v1, v2, path);
      assertThat(differences.differing()).as(path.name()).isEqualTo(2);
      assertThat(differences.maxAbsDifference()).as(path.name()).isNaN();
    }
  }

  @Test
  void chunksMatchWholeBlock() throws Exception {
    WeightQuantizer v1 = quantizer("version=1");
    WeightQuantizer v2 = quantizer("version=2");
    int rows = 37;
    int inFeatures = 48;
    float[] values = new float[rows * inFeatures];
    Random random = new Random(11);
    for (int i = 0; i < values.length; i++) {
      // Rows whose max |w| is below 1 get a larger scale from version 2, which clamps at bfloat16's eps.
      float range = (i / inFeatures) % 3 == 0 ? 0.5f : 4f;
      values[i] = FloatDtype.BFLOAT16.round((random.nextFloat() * 2 - 1) * range);
    }
    WeightBlock block = new WeightBlock(values, 0, rows, rows, inFeatures, FloatDtype.BFLOAT16);
    QuantizedBlock v1Block = stored(v1.quantize(block, null));
    QuantizedBlock v2Block = stored(v2.quantize(block, null));

    ValueDifferences whole = ChunkedValueComparison.compare(
        v1, v1Block, v2, v2Block, FloatDtype.BFLOAT16, Integer.MAX_VALUE);
    ValueDifferences reference = ValueDifferences.of(
        v1.dequantize(v1Block, FloatDtype.BFLOAT16), v2.dequantize(v2Block, FloatDtype.BFLOAT16), KernelPath.SCALAR);
    assertThat(whole).isEqualTo(reference);
    assertThat(whole.differing()).isPositive();
    for (int chunkValues : new int[] {1, 48, 100, 480}) {
      ValueDifferences chunked =
          ChunkedValueComparison.compare(v1, v1Block, v2, v2Block, FloatDtype.BFLOAT16, chunkValues);
      assertThat(chunked).as("chunks of %d values", chunkValues).isEqualTo(whole);
    }
  }

  /** Int4 blocks store two values per byte, and the report reads them back from qdata alone. */
  @Test
  void packedInt4ChunksMatchWholeBlock() throws Exception {
    WeightQuantizer v1 = Quantizers.forConfig(QuantConfigs.parse(
        "Int4WeightOnlyConfig(group_size=32, version=1)", TorchaoRelease.V0_15, null));
    WeightQuantizer v2 = Quantizers.forConfig(QuantConfigs.parse(
        "Int4WeightOnlyConfig(group_size=32)", TorchaoRelease.V0_15, null));
    int rows = 21;
    int inFeatures = 64;
    float[] values = new float[rows * inFeatures];
    Random random = new Random(13);
    for (int i = 0; i < values.length; i++) {
      values[i] = FloatDtype.BFLOAT16.round((float) random.nextGaussian() * 0.02f);
    }
    WeightBlock block = new WeightBlock(values, 0, rows, rows, inFeatures, FloatDtype.BFLOAT16);
    QuantizedBlock v1Block = withoutQvalues(v1.quantize(block, null));
    QuantizedBlock v2Block = withoutQvalues(v2.quantize(block, null));

    ValueDifferences whole = ChunkedValueComparison.compare(
        v1, v1Block, v2, v2Block, FloatDtype.BFLOAT16, Integer.MAX_VALUE);
    assertThat(whole.differing()).isPositive();
    for (int chunkValues : new int[] {1, 64, 300}) {
      ValueDifferences chunked =
          ChunkedValueComparison.compare(v1, v1Block, v2, v2Block, FloatDtype.BFLOAT16, chunkValues);
      assertThat(chunked).as("chunks of %d values", chunkValues).isEqualTo(whole);
    }
  }

  private static QuantizedBlock withoutQvalues(QuantizedBlock block) {
    return new QuantizedBlock(block.rowCount(), block.inFeatures(), null, block.qdata(), block.scale(),
        block.zeroPoint(), block.groupsPerRow());
  }

  /** Rebuilds the block as the report does from {@code quantized/}: one byte per value doubles as qvalues. */
  private static QuantizedBlock stored(QuantizedBlock block) {
    return new QuantizedBlock(block.rowCount(), block.inFeatures(), block.qdata(), block.qdata(), block.scale(),
        block.zeroPoint(), block.groupsPerRow());
  }

  private static WeightQuantizer quantizer(String version) throws Exception {
    return Quantizers.forConfig(QuantConfigs.parse(
        "Int8WeightOnlyConfig(group_size=None, granularity=PerRow(), " + version + ")", TorchaoRelease.V0_15, null));
  }
}
