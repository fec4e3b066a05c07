package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.format.Int4NibbleOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Int4NibbleOrder#EVEN_LOW} packing of a row with a vector body and a scalar tail through the
 * reference.
 *
 * <p>Read as little-endian 16-bit lanes, two adjacent bytes {@code q[2j], q[2j+1]} form
 * {@code q[2j] | q[2j+1] << 8}; keeping bits 0..3 and moving bits 8..11 to 4..7 gives the packed
 * byte in the low half of the lane, which the narrowing to bytes keeps.
 */
final class VectorInt4Packer {

  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> HALF_BYTES =
      BYTES.withShape(jdk.incubator.vector.VectorShape.forBitSize(BYTES.vectorBitSize() / 2));

  private VectorInt4Packer() {}

  static void packEvenLow(byte[] values, int valuesOffset, int length, byte[] out, int outOffset) {
    int bodyLength = BYTES.loopBound(length);
    for (int i = 0; i < bodyLength; i += BYTES.length()) {
      ShortVector pairs = ByteVector.fromArray(BYTES, values, valuesOffset + i).reinterpretAsShorts();
      ShortVector packed = pairs.and((short) 0x000F).or(pairs.lanewise(VectorOperators.LSHR, 4).and((short) 0x00F0));
      packed.convertShape(VectorOperators.S2B, HALF_BYTES, 0).reinterpretAsBytes()
          .intoArray(out, outOffset + i / 2);
    }
    Int4NibbleOrder.EVEN_LOW.packRow(
        values, valuesOffset + bodyLength, length - bodyLength, out, outOffset + bodyLength / 2);
  }
}
