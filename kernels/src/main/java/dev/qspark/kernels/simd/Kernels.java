package dev.qspark.kernels.simd;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.affine.ScalarAffineBlockKernel;
import dev.qspark.kernels.affine.TypePromotion;
import dev.qspark.kernels.format.ScalarInt4PlainBlockKernel;
import dev.qspark.kernels.tinygemm.ScalarTinygemmBlockKernel;

/**
 * Picks the implementation of each hot loop for a {@link KernelPath} and the dtypes involved.
 *
 * <p>The Vector API classes live in {@code dev.qspark.kernels.simd.vector} and are loaded by name,
 * only when the vector path is requested and available, so that a JVM without the module
 * {@code jdk.incubator.vector} never links them. The vector path covers computations in float32
 * and bfloat16; float16 arithmetic runs scalar. A vector path requested on a JVM without the module
 * runs scalar, which gives the same bytes.
 */
public final class Kernels {

  private static final String VECTOR_PACKAGE = "dev.qspark.kernels.simd.vector.";

  private Kernels() {}

  /**
   * Returns the affine block kernel for inputs of {@code inputDtype} with scales of {@code scaleDtype}.
   * The quantize step computes in {@code result_type(input, scale)}, which the vector path supports
   * for float32 and bfloat16. Its dequantize runs scalar for a float16 output.
   */
  public static AffineBlockKernel affine(KernelPath path, FloatDtype inputDtype, FloatDtype scaleDtype) {
    FloatDtype computeDtype = TypePromotion.resultType(inputDtype, scaleDtype);
    if (useVector(path) && computeDtype != FloatDtype.FLOAT16) {
      return VectorImplementations.AFFINE;
    }
    return ScalarAffineBlockKernel.INSTANCE;
  }

  /**
   * Returns the Int4Tensor block kernel. It quantizes in float32 for every weight dtype, and its
   * dequantize runs scalar for a float16 output.
   */
  public static Int4PlainBlockKernel int4Plain(KernelPath path) {
    return useVector(path) ? VectorImplementations.INT4_PLAIN : ScalarInt4PlainBlockKernel.INSTANCE;
  }

  /**
   * Returns the tinygemm block kernel. The vector path computes in float32 and bfloat16; float16
   * weights and outputs run scalar on it.
   */
  public static TinygemmBlockKernel tinygemm(KernelPath path) {
    return useVector(path) ? VectorImplementations.TINYGEMM : ScalarTinygemmBlockKernel.INSTANCE;
  }

  /** Returns the widening of little-endian bfloat16 bytes to floats. */
  public static Bfloat16Widening bfloat16Widening(KernelPath path) {
    return useVector(path) ? VectorImplementations.BFLOAT16_WIDENING : ScalarBfloat16Widening.INSTANCE;
  }

  /** Describes the vector shape in use, e.g. {@code 512-bit vectors, 16 float lanes}; loads the Vector API. */
  public static String describeVectorShape() {
    return VectorImplementations.DESCRIPTION;
  }

  private static boolean useVector(KernelPath path) {
    return path == KernelPath.VECTOR && path.isAvailable();
  }

  /** The vector implementations, loaded by name on first use of the vector path. */
  private static final class VectorImplementations {

    static final AffineBlockKernel AFFINE = load("VectorAffineBlockKernel", AffineBlockKernel.class);
    static final Int4PlainBlockKernel INT4_PLAIN = load("VectorInt4PlainBlockKernel", Int4PlainBlockKernel.class);
    static final TinygemmBlockKernel TINYGEMM = load("VectorTinygemmBlockKernel", TinygemmBlockKernel.class);
    static final Bfloat16Widening BFLOAT16_WIDENING = load("VectorBfloat16Widening", Bfloat16Widening.class);
    static final String DESCRIPTION = describe();

    private static <T> T load(String simpleName, Class<T> type) {
      try {
        Class<?> implementation = Class.forName(VECTOR_PACKAGE + simpleName);
        return type.cast(implementation.getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Cannot load the Vector API kernel " + VECTOR_PACKAGE + simpleName
            + "; run with -D" + KernelPath.FORCE_SCALAR_PROPERTY + "=true to use the scalar path", e);
      }
    }

    private static String describe() {
      try {
        return (String) Class.forName(VECTOR_PACKAGE + "VectorShapes").getMethod("describe").invoke(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Cannot load " + VECTOR_PACKAGE + "VectorShapes", e);
      }
    }
  }
}
