package dev.qspark.kernels.tinygemm;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.format.Int4NibbleOrder;
import dev.qspark.kernels.format.StoredBlocks;

/**
 * The layout of blocks of rows in the tinygemm formats (Int4WeightOnlyConfig version 1 with
 * TensorCoreTiledLayout, and version 2 with {@code tile_packed_to_4d}); a
 * {@link dev.qspark.kernels.simd.TinygemmBlockKernel} quantizes and dequantizes them.
 *
 * <p>torchao pads in_features with zeros to a multiple of {@value #IN_FEATURES_PADDING} and
 * out_features to a multiple of 8 (or of the ntile size), then quantizes the padded weight. A
 * block keeps each row's padding: {@code paddedInFeatures / 2} bytes per row, packed with
 * {@link Int4NibbleOrder#EVEN_HIGH}. These are the bytes before
 * {@code aten._convert_weight_to_int4pack}, whose tile layout depends on the device. Rows that
 * only pad out_features and the scales of padding groups are not stored, because every padding
 * group is all zeros and gets the qparams of {@link #zeroGroupScale}.
 */
public final class TinygemmBlocks {

  /** torchao pads in_features to a multiple of this (1024) before packing. */
  public static final int IN_FEATURES_PADDING = 1024;

  private TinygemmBlocks() {}

  /** Returns in_features padded with zeros to a multiple of {@value #IN_FEATURES_PADDING}. */
  public static long paddedInFeatures(long inFeatures) {
    return roundUp(inFeatures, IN_FEATURES_PADDING);
  }

  /** Returns {@code value} rounded up to a multiple of {@code multiple}. */
  public static long roundUp(long value, long multiple) {
    return (value + multiple - 1) / multiple * multiple;
  }

  /** Returns the scale of an all-zero group, such as a padding group. */
  public static float zeroGroupScale(FloatDtype dtype, float eps, DeviceArithmetic device) {
    return TinygemmAffine.chooseScale(0f, 0f, dtype, eps, device);
  }

  /** Returns the zero point of an all-zero group, such as a padding group. */
  public static float zeroGroupZeroPoint(FloatDtype dtype, float eps, DeviceArithmetic device) {
    return TinygemmAffine.chooseZeroPoint(0f, zeroGroupScale(dtype, eps, device), dtype);
  }

  /**
   * Rebuilds a block from its stored bytes and qparams: unpacks the first {@code inFeatures}
   * nibbles of each padded row into {@code qvalues} and checks that every padding nibble holds the
   * {@link #paddingValue} of bfloat16, the only dtype the tinygemm formats accept.
   *
   * @throws IllegalArgumentException when an array's length does not fit the layout or a padding
   *     nibble holds another value
   */
  public static QuantizedBlock fromStored(int rowCount, int inFeatures, byte[] qdata, float[] scale,
      float[] zeroPoint, int groupSize, float eps, DeviceArithmetic device) {
    String format = "tinygemm int4";
    StoredBlocks.requireShape(format, rowCount, inFeatures);
    if (inFeatures % groupSize != 0) {
      throw new IllegalArgumentException("Cannot rebuild a stored " + format + " block: in_features " + inFeatures
          + " is not divisible by group_size " + groupSize);
    }
    int groupsPerRow = inFeatures / groupSize;
    int paddedInFeatures = Math.toIntExact(paddedInFeatures(inFeatures));
    int bytesPerRow = paddedInFeatures / 2;
    StoredBlocks.requireQParams(format, rowCount, scale, zeroPoint, (long) rowCount * groupsPerRow, true);
    StoredBlocks.requireQdataLength(format, rowCount, inFeatures, qdata, (long) rowCount * bytesPerRow);

    int paddingQ = paddingValue(FloatDtype.BFLOAT16, eps, device);
    byte[] qvalues = new byte[rowCount * inFeatures];
    for (int row = 0; row < rowCount; row++) {
      for (int column = 0; column < paddedInFeatures; column++) {
        byte packed = qdata[row * bytesPerRow + column / 2];
        int q = column % 2 == 0
            ? Int4NibbleOrder.EVEN_HIGH.evenNibble(packed)
            : Int4NibbleOrder.EVEN_HIGH.oddNibble(packed);
        if (column < inFeatures) {
          qvalues[row * inFeatures + column] = (byte) q;
        } else if (q != paddingQ) {
          throw new IllegalArgumentException("Cannot rebuild a stored " + format + " block: padding column "
              + column + " of row " + row + " holds " + q + ", expected " + paddingQ
              + ", the quantized zero of the padding");
        }
      }
    }
    return new QuantizedBlock(rowCount, inFeatures, qvalues, qdata, scale, zeroPoint, groupsPerRow);
  }

  /** Returns the quantized value of the zeros that pad in_features, 0..15. */
  public static int paddingValue(FloatDtype dtype, float eps, DeviceArithmetic device) {
    float paddingScale = zeroGroupScale(dtype, eps, device);
    float paddingZeroPoint = zeroGroupZeroPoint(dtype, eps, device);
    return TinygemmAffine.quantize(
        0f, TinygemmAffine.minValue(paddingScale, paddingZeroPoint, dtype), paddingScale, dtype);
  }
}
