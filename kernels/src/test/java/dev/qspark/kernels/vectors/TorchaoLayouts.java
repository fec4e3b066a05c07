package dev.qspark.kernels.vectors;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Rebuilds the tensors torchao stores for a whole weight from qspark's row blocks, so that they
 * can be compared with torchao's layout.
 *
 * <p>Blocks are concatenated in row order. Int4Tensor stores scale and zero point transposed,
 * {@code [K/g, N]}. The tinygemm formats store them {@code [N, K_pad/g]} with the groups of the
 * in_features padding, pack {@code [N_pad, K_pad/2]} bytes with the rows of the out_features
 * padding, and interleave {@code scale_and_zero} as {@code [K_pad/g, N_pad, 2]}. Padding rows and
 * groups are all zeros, so their bytes and qparams are those of a quantized all-zero row.
 */
public final class TorchaoLayouts {

  private TorchaoLayouts() {}

  /** Stored tensors of a tinygemm format in torchao's layout, values as exact float32. */
  public record TinygemmTensors(byte[] packed, float[] scale, float[] zeroPoint, float[] scaleAndZero) {}

  public static byte[] concatQvalues(List<QuantizedBlock> blocks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    blocks.forEach(block -> out.writeBytes(block.qvalues()));
    return out.toByteArray();
  }

  public static byte[] concatQdata(List<QuantizedBlock> blocks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    blocks.forEach(block -> out.writeBytes(block.qdata()));
    return out.toByteArray();
  }

  public static float[] concatScale(List<QuantizedBlock> blocks) {
    return concat(blocks.stream().map(QuantizedBlock::scale).toList());
  }

  public static float[] concatZeroPoint(List<QuantizedBlock> blocks) {
    return concat(blocks.stream().map(QuantizedBlock::zeroPoint).toList());
  }

  public static float[] concat(List<float[]> parts) {
    int length = parts.stream().mapToInt(part -> part.length).sum();
    float[] out = new float[length];
    int offset = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, out, offset, part.length);
      offset += part.length;
    }
    return out;
  }

  /** Transposes a row-major {@code [rows, columns]} matrix to {@code [columns, rows]}. */
  public static float[] transpose(float[] values, int rows, int columns) {
    float[] out = new float[values.length];
    for (int row = 0; row < rows; row++) {
      for (int column = 0; column < columns; column++) {
        out[column * rows + row] = values[row * columns + column];
      }
    }
    return out;
  }

  /** Extends each row of {@code [rows, groups]} to {@code paddedGroups} columns filled with {@code padding}. */
  public static float[] withPaddingGroups(float[] values, int rows, int groups, int paddedGroups, float padding) {
    float[] out = new float[rows * paddedGroups];
    for (int row = 0; row < rows; row++) {
      System.arraycopy(values, row * groups, out, row * paddedGroups, groups);
      for (int group = groups; group < paddedGroups; group++) {
        out[row * paddedGroups + group] = padding;
      }
    }
    return out;
  }

  /**
   * Rebuilds a tinygemm format's tensors for a {@code [outFeatures, inFeatures]} weight.
   *
   * @param paddedOutFeatures out_features padded to the format's multiple of 8 or 16
   */
  public static TinygemmTensors tinygemm(
      WeightQuantizer quantizer, List<QuantizedBlock> blocks, int outFeatures, int inFeatures,
      int groupSize, int paddedOutFeatures, FloatDtype dtype) {
    QuantizedBlock zeroRow = quantizer.quantize(
        WeightBlock.wholeTensor(new float[inFeatures], 1, inFeatures, dtype), null);
    float paddingScale = zeroRow.scale()[0];
    float paddingZeroPoint = zeroRow.zeroPoint()[0];
    int groups = inFeatures / groupSize;
    int bytesPerRow = zeroRow.qdata().length;
    int paddedGroups = bytesPerRow * 2 / groupSize;

    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    packed.writeBytes(concatQdata(blocks));
    for (int row = outFeatures; row < paddedOutFeatures; row++) {
      packed.writeBytes(zeroRow.qdata());
    }
    float[] scale = withPaddingGroups(concatScale(blocks), outFeatures, groups, paddedGroups, paddingScale);
    float[] zeroPoint =
        withPaddingGroups(concatZeroPoint(blocks), outFeatures, groups, paddedGroups, paddingZeroPoint);

    float[] scaleAndZero = new float[paddedGroups * paddedOutFeatures * 2];
    for (int group = 0; group < paddedGroups; group++) {
      for (int row = 0; row < paddedOutFeatures; row++) {
        boolean stored = row < outFeatures;
        int at = (group * paddedOutFeatures + row) * 2;
        scaleAndZero[at] = stored ? scale[row * paddedGroups + group] : paddingScale;
        scaleAndZero[at + 1] = stored ? zeroPoint[row * paddedGroups + group] : paddingZeroPoint;
      }
    }
    return new TinygemmTensors(packed.toByteArray(), scale, zeroPoint, scaleAndZero);
  }
}
