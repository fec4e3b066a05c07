package dev.qspark.kernels.simd.vector;

import dev.qspark.kernels.simd.Bfloat16Widening;
import dev.qspark.kernels.simd.ScalarBfloat16Widening;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link Bfloat16Widening}: loads as many little-endian shorts as there are float
 * lanes, widens them to ints and shifts them into the upper half. The sign extension of the widening
 * falls off the top with the shift. The tail that fills no whole vector goes through the scalar
 * widening.
 */
public final class VectorBfloat16Widening implements Bfloat16Widening {

  private static final VectorSpecies<Short> SHORTS_PER_FLOAT =
      ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(VectorShapes.FLOATS.vectorBitSize() / 2));

  @Override
  public void widen(byte[] source, int sourceOffset, int count, float[] destination, int destinationOffset) {
    int lanes = VectorShapes.LANES;
    int body = count - count % lanes;
    for (int i = 0; i < body; i += lanes) {
      ShortVector bits = ShortVector.fromByteArray(
          SHORTS_PER_FLOAT, source, sourceOffset + 2 * i, ByteOrder.LITTLE_ENDIAN);
      ((FloatVector) ((IntVector) bits.convertShape(VectorOperators.S2I, VectorShapes.INTS, 0))
          .lanewise(VectorOperators.LSHL, 16).reinterpretShape(VectorShapes.FLOATS, 0))
          .intoArray(destination, destinationOffset + i);
    }
    ScalarBfloat16Widening.INSTANCE.widen(
        source, sourceOffset + 2 * body, count - body, destination, destinationOffset + body);
  }
}
