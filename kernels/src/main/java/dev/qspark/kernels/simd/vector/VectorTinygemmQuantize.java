package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.format.Int4NibbleOrder;
import dev.qspark.kernels.tinygemm.TinygemmAffine;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TinygemmAffine#quantize} and the {@link Int4NibbleOrder#EVEN_HIGH} packing for one group
 * whose length is a multiple of the vector length, one method per dtype. Each lane computes
 * {@code clamp(rint(round(round(x - min_val) / scale)), 0, 15)} with the same float32 subtraction
 * and true division as the reference.
 *
 * <p>The roundings are float adds and integer bit operations:
 * <ul>
 *   <li>bfloat16: add {@code 0x7FFF} plus the lowest kept bit, then clear the low 16 bits, as
 *       {@link FloatDtype#roundToBfloat16} does for every value but NaN. NaN lanes cannot occur:
 *       the values, min_val and the scale are finite and the scale is at least eps, which is
 *       positive, so a lane is at worst an overflow to an infinity.
 *   <li>rint and clamp: the float's bits as a signed int are first clamped to the bits of
 *       {@code [0.0, 16.0]}, which maps every negative value (and -0.0) to 0.0 and every value
 *       above 16, infinity included, to 16.0. Since rint is monotonic, clamping first gives the
 *       reference's clamped integer. Then {@code x + 1.5 * 2^23} rounds with ties to even, the float's bits
 *       minus the bits of {@code 1.5 * 2^23} are the integer (as in
 *       {@link dev.qspark.kernels.affine.FloatRounding}), and an int min turns 16 into 15.
 * </ul>
 *
 * <p>Packing reads each pair of int lanes {@code q[2j], q[2j+1]} as one little-endian long lane,
 * which contains {@code q[2j]} in bits 0..31 and {@code q[2j+1]} in bits 32..63. {@code q[2j]}
 * shifted to bits 4..7 and {@code q[2j+1]} shifted to bits 0..3 form the EVEN_HIGH byte, which the
 * narrowing to bytes keeps. Every vector operation is written out in the loop, because a vector
 * that crosses a call C2 does not inline is allocated on the heap.
 */
final class VectorTinygemmQuantize {

  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> BYTES_PER_LONG =
      ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(LONGS.vectorBitSize() / 8));

  /** {@code 1.5 * 2^23}. */
  private static final float MAGIC = 0x1.8p23f;
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  private static final int CLAMP_LIMIT_BITS = Float.floatToRawIntBits(16f);

  private VectorTinygemmQuantize() {}

  /**
   * Quantizes {@code values[offset, offset + length)} of a bfloat16 weight into {@code qvalues} at
   * the same offsets and packs them into {@code qdata} from {@code qdataOffset}.
   *
   * @param minValue the group's finite {@link TinygemmAffine#minValue}
   * @param scale the group's finite scale
   */
  static void quantizeBfloat16(float[] values, int offset, int length, float minValue, float scale,
      byte[] qvalues, byte[] qdata, int qdataOffset) {
    int end = offset + length;
    for (int i = offset; i < end; i += VectorShapes.LANES) {
      IntVector difference = (IntVector) FloatVector.fromArray(VectorShapes.FLOATS, values, i).sub(minValue)
          .reinterpretShape(VectorShapes.INTS, 0);
      IntVector shifted = difference.add(difference.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF)
          .and(0xFFFF_0000);
      IntVector quotient = (IntVector) ((FloatVector) shifted.reinterpretShape(VectorShapes.FLOATS, 0))
          .div(scale)
          .reinterpretShape(VectorShapes.INTS, 0);
      IntVector divided = quotient.add(quotient.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF)
          .and(0xFFFF_0000);
      IntVector limited = divided.max(0).min(CLAMP_LIMIT_BITS);
      IntVector rounded = (IntVector) ((FloatVector) limited.reinterpretShape(VectorShapes.FLOATS, 0))
          .add(MAGIC)
          .reinterpretShape(VectorShapes.INTS, 0);
      IntVector quantized = rounded.sub(MAGIC_BITS).min(TinygemmAffine.QUANT_MAX);
      ((ByteVector) quantized.convertShape(VectorOperators.I2B, VectorShapes.BYTES_PER_FLOAT, 0))
          .intoArray(qvalues, i);
      LongVector pairs = (LongVector) quantized.reinterpretShape(LONGS, 0);
      LongVector packed =
          pairs.lanewise(VectorOperators.LSHL, 4).and(0xF0L).or(pairs.lanewise(VectorOperators.LSHR, 32));
      ((ByteVector) packed.convertShape(VectorOperators.L2B, BYTES_PER_LONG, 0))
          .intoArray(qdata, qdataOffset + (i - offset) / 2);
    }
  }

  /** Quantizes and packs as {@link #quantizeBfloat16} does, for a float32 weight, which needs no rounding. */
  static void quantizeFloat32(float[] values, int offset, int length, float minValue, float scale,
      byte[] qvalues, byte[] qdata, int qdataOffset) {
    int end = offset + length;
    for (int i = offset; i < end; i += VectorShapes.LANES) {
      IntVector divided = (IntVector) FloatVector.fromArray(VectorShapes.FLOATS, values, i).sub(minValue)
          .div(scale)
          .reinterpretShape(VectorShapes.INTS, 0);
      IntVector limited = divided.max(0).min(CLAMP_LIMIT_BITS);
      IntVector rounded = (IntVector) ((FloatVector) limited.reinterpretShape(VectorShapes.FLOATS, 0))
          .add(MAGIC)
          .reinterpretShape(VectorShapes.INTS, 0);
      IntVector quantized = rounded.sub(MAGIC_BITS).min(TinygemmAffine.QUANT_MAX);
      ((ByteVector) quantized.convertShape(VectorOperators.I2B, VectorShapes.BYTES_PER_FLOAT, 0))
          .intoArray(qvalues, i);
      LongVector pairs = (LongVector) quantized.reinterpretShape(LONGS, 0);
      LongVector packed =
          pairs.lanewise(VectorOperators.LSHL, 4).and(0xF0L).or(pairs.lanewise(VectorOperators.LSHR, 32));
      ((ByteVector) packed.convertShape(VectorOperators.L2B, BYTES_PER_LONG, 0))
          .intoArray(qdata, qdataOffset + (i - offset) / 2);
    }
  }
}
