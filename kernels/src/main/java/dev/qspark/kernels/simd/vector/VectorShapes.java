package dev.qspark.kernels.simd.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species the kernels use: the platform's preferred float shape, ints of the same
 * shape, and bytes with as many lanes as there are floats (a quarter of the width).
 *
 * <p>The kernels reinterpret lanes with {@code reinterpretShape(SPECIES, 0)} and one of these
 * constants, not with {@code reinterpretAsInts()} and its siblings, which derive the target species
 * at run time. In some JDK 17 compilations C2 did not fold that derivation to a constant, so the
 * Vector API ran its Java fallback: the tinygemm quantize loop took 3.7 instead of 0.5 ns per value.
 */
public final class VectorShapes {

  static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  static final VectorSpecies<Byte> BYTES_PER_FLOAT =
      ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(FLOATS.vectorBitSize() / 4));
  static final int LANES = FLOATS.length();

  private VectorShapes() {}

  /** Describes the shape for the log, e.g. {@code 512-bit vectors, 16 float lanes}. */
  public static String describe() {
    return FLOATS.vectorBitSize() + "-bit vectors, " + LANES + " float lanes";
  }
}
