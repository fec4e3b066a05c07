package dev.qspark.kernels.vectors;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.format.Int4TilePackedTo4dQuantizer;
import dev.qspark.kernels.format.Int4TinygemmV1Quantizer;
import dev.qspark.kernels.format.UIntXWeightOnlyQuantizer;
import dev.qspark.kernels.format.UintxBitPacker;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Rebuilds the tensors torchao stores for a whole weight from qspark's row blocks, so that they can
 * be compared with the vectors.
 *
 * <p>Blocks are joined by {@link BlockAssembly}. Then, per layout: Intx, Int8 and UIntX store
 * everything as the blocks do; Int4Tensor and plain_int32 store scale and zero point transposed,
 * {@code [K/g, N]}; the tinygemm formats store them {@code [N, K_pad/g]} with the groups of the
 * in_features padding, pack {@code [N_pad, K_pad/2]} bytes with the rows of the out_features
 * padding, and interleave {@code scale_and_zero} as {@code [K_pad/g, N_pad, 2]}. Padding rows and
 * groups are zeros, so their bytes and qparams are those of a quantized all-zero row.
 */
final class TorchaoLayouts {

  /** How torchao lays out a format's tensors, by the reference's config name. */
  enum Layout {
    BLOCK_ORDER,
    TRANSPOSED_QPARAMS,
    TINYGEMM;

    static Layout of(String config) {
      return switch (config) {
        case "int4_v2_plain", "int4_v2_plain_int32" -> TRANSPOSED_QPARAMS;
        case "int4_v2_tile_packed_to_4d", "int4_v1_tinygemm" -> TINYGEMM;
        default -> BLOCK_ORDER;
      };
    }
  }

  /**
   * A whole weight's stored tensors in torchao's layout, floats as exact float32 values.
   *
   * @param zeroPoint null where the format stores none
   * @param scaleAndZero tinygemm's interleaved tensor, null for other layouts
   */
  record StoredTensors(byte[] qvalues, byte[] packed, float[] scale, float[] zeroPoint, float[] scaleAndZero) {}

  private TorchaoLayouts() {}

  static StoredTensors rebuild(
      Layout layout, WeightQuantizer quantizer, List<QuantizedBlock> blocks, int outFeatures, FloatDtype dtype) {
    QuantizedBlock whole = BlockAssembly.assemble(blocks, storedBytesPerRow(quantizer, blocks.get(0)),
        quantizer.needsTensorRange());
    return switch (layout) {
      case BLOCK_ORDER -> new StoredTensors(whole.qvalues(), whole.qdata(), whole.scale(), whole.zeroPoint(), null);
      case TRANSPOSED_QPARAMS -> new StoredTensors(whole.qvalues(), whole.qdata(),
          transpose(whole.scale(), outFeatures, whole.groupsPerRow()),
          transpose(whole.zeroPoint(), outFeatures, whole.groupsPerRow()), null);
      case TINYGEMM -> tinygemm(quantizer, whole, outFeatures, dtype);
    };
  }

  /** Returns the bytes per row of each tensor the format stores, in the order a block's qdata holds them. */
  private static List<Integer> storedBytesPerRow(WeightQuantizer quantizer, QuantizedBlock block) {
    if (quantizer instanceof UIntXWeightOnlyQuantizer uintx) {
      return Arrays.stream(UintxBitPacker.shardWidths(uintx.bits()))
          .mapToObj(width -> block.inFeatures() * width / 8)
          .toList();
    }
    return List.of(block.qdata().length / block.rowCount());
  }

  /** Transposes a row-major {@code [rows, columns]} matrix to {@code [columns, rows]}; one value stays as is. */
  private static float[] transpose(float[] values, int rows, int columns) {
    if (values == null || values.length == 1) {
      return values;
    }
    float[] out = new float[values.length];
    for (int row = 0; row < rows; row++) {
      for (int column = 0; column < columns; column++) {
        out[column * rows + row] = values[row * columns + column];
      }
    }
    return out;
  }

  private static StoredTensors tinygemm(WeightQuantizer quantizer, QuantizedBlock whole, int outFeatures,
      FloatDtype dtype) {
    int inFeatures = whole.inFeatures();
    int paddedOutFeatures = Math.toIntExact(quantizer instanceof Int4TilePackedTo4dQuantizer tilePacked
        ? tilePacked.paddedOutFeatures(outFeatures)
        : ((Int4TinygemmV1Quantizer) quantizer).paddedOutFeatures(outFeatures));
    QuantizedBlock zeroRow = quantizer.quantize(
        WeightBlock.wholeTensor(new float[inFeatures], 1, inFeatures, dtype), null);
    float paddingScale = zeroRow.scale()[0];
    float paddingZeroPoint = zeroRow.zeroPoint()[0];
    int groups = whole.groupsPerRow();
    int paddedGroups = zeroRow.qdata().length * 2 * groups / inFeatures;

    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    packed.writeBytes(whole.qdata());
    for (int row = outFeatures; row < paddedOutFeatures; row++) {
      packed.writeBytes(zeroRow.qdata());
    }
    float[] scale = withPaddingGroups(whole.scale(), outFeatures, groups, paddedGroups, paddingScale);
    float[] zeroPoint = withPaddingGroups(whole.zeroPoint(), outFeatures, groups, paddedGroups, paddingZeroPoint);

    float[] scaleAndZero = new float[paddedGroups * paddedOutFeatures * 2];
    for (int group = 0; group < paddedGroups; group++) {
      for (int row = 0; row < paddedOutFeatures; row++) {
        boolean stored = row < outFeatures;
        int at = (group * paddedOutFeatures + row) * 2;
        scaleAndZero[at] = stored ? scale[row * paddedGroups + group] : paddingScale;
        scaleAndZero[at + 1] = stored ? zeroPoint[row * paddedGroups + group] : paddingZeroPoint;
      }
    }
    return new StoredTensors(whole.qvalues(), packed.toByteArray(), scale, zeroPoint, scaleAndZero);
  }

  /** Extends each row of {@code [rows, groups]} to {@code paddedGroups} columns filled with {@code padding}. */
  private static float[] withPaddingGroups(float[] values, int rows, int groups, int paddedGroups, float padding) {
    float[] out = new float[rows * paddedGroups];
    for (int row = 0; row < rows; row++) {
      System.arraycopy(values, row * groups, out, row * paddedGroups, groups);
      for (int group = groups; group < paddedGroups; group++) {
        out[row * paddedGroups + group] = padding;
      }
    }
    return out;
  }
}
