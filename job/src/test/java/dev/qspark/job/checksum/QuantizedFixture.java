package dev.qspark.job.checksum;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.WeightQuantizer.StorageInfo;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * {@code quantized/} rows made by the real quantizers from seeded random bfloat16 weights, with any split of
 * each weight's rows into blocks. Three configs cover the checksum's cases: a per-tensor scale
 * (int8 PerTensor), UIntX bit shards (uint3: an int2 and an int1 shard) and group-wise int4 with zero points.
 */
final class QuantizedFixture {

  /** Config id and torchao text of each fixture config, in config-id order. */
  static final String[][] CONFIGS = {
    {"int4-g32", "Int4WeightOnlyConfig(group_size=32, int4_packing_format='plain_int32')"},
    {"int8-tensor", "Int8WeightOnlyConfig(version=2, granularity=PerTensor())"},
    {"uint3-g32", "UIntXWeightOnlyConfig(dtype=torch.uint3, group_size=32)"},
  };

  /** Weight names, in name order, and their shapes. */
  static final String[] TENSORS = {"model.layers.0.mlp.down_proj.weight", "model.layers.0.mlp.up_proj.weight"};
  static final int[][] SHAPES = {{24, 128}, {40, 64}};

  private static final TorchaoRelease RELEASE = TorchaoRelease.V0_16;

  private final float[][] weights = new float[TENSORS.length][];

  QuantizedFixture(long seed) {
    Random random = new Random(seed);
    for (int tensor = 0; tensor < TENSORS.length; tensor++) {
      float[] values = new float[SHAPES[tensor][0] * SHAPES[tensor][1]];
      for (int index = 0; index < values.length; index++) {
        // Truncating the float32 bits to the upper 16 gives an exact bfloat16 value.
        float value = (float) random.nextGaussian() * 0.05f;
        values[index] = Float.intBitsToFloat(Float.floatToRawIntBits(value) & 0xFFFF0000);
      }
      weights[tensor] = values;
    }
  }

  /**
   * Returns every row, ordered by config id, tensor and row start, with each weight cut into blocks of
   * {@code blockRows} rows (the last block takes the rest).
   */
  List<BlockRow> rows(int... blockRows) {
    List<BlockRow> rows = new ArrayList<>();
    for (String[] config : CONFIGS) {
      QuantConfig parsed = QuantConfigs.parse(config[1], RELEASE, null);
      WeightQuantizer quantizer = Quantizers.forConfig(parsed);
      for (int tensor = 0; tensor < TENSORS.length; tensor++) {
        rows.addAll(blocks(config[0], parsed.canonical(), quantizer, tensor, blockRows));
      }
    }
    return rows;
  }

  private List<BlockRow> blocks(String configId, String canonical, WeightQuantizer quantizer, int tensor,
      int[] blockRows) {
    int outFeatures = SHAPES[tensor][0];
    int inFeatures = SHAPES[tensor][1];
    float[] values = weights[tensor];
    TensorRange range = TensorRange.of(values);
    StorageInfo storage = quantizer.storageInfo(FloatDtype.BFLOAT16, inFeatures);

    List<BlockRow> rows = new ArrayList<>();
    int rowStart = 0;
    for (int block = 0; rowStart < outFeatures; block++) {
      int rowCount = Math.min(blockRows[Math.min(block, blockRows.length - 1)], outFeatures - rowStart);
      float[] slice = Arrays.copyOfRange(values, rowStart * inFeatures, (rowStart + rowCount) * inFeatures);
      QuantizedBlock quantized = quantizer.quantize(
          new WeightBlock(slice, rowStart, rowCount, outFeatures, inFeatures, FloatDtype.BFLOAT16), range);
      rows.add(new BlockRow(configId, canonical, TENSORS[tensor], rowStart, rowCount,
          new long[] {outFeatures, inFeatures}, storage.blockSize(), quantized.qdata(), quantized.scale(),
          quantized.zeroPoint(), storage.qdataDtype(), storage.scaleDtype(), storage.zeroPointDtype()));
      rowStart += rowCount;
    }
    return rows;
  }
}
