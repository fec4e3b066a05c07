package dev.qspark.kernels.affine;

import dev.qspark.kernels.FloatDtype;

/** torch's {@code result_type} for two floating point tensors of at least one dimension. */
public final class TypePromotion {

  private TypePromotion() {}

  /**
   * Returns the dtype torch computes a binary op of two tensors in: the common dtype when both
   * agree, otherwise float32 (bfloat16 with float16 also promotes to float32).
   */
  public static FloatDtype resultType(FloatDtype first, FloatDtype second) {
    return first == second ? first : FloatDtype.FLOAT32;
  }
}
