package dev.qspark.kernels;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which implementation of the hot quantization loops a quantizer runs: the plain Java reference or
 * the Java Vector API ({@code jdk.incubator.vector}). Both produce identical bytes.
 *
 * <p>{@link #selected()} decides once per JVM and logs the choice once at INFO. The vector path
 * needs the JVM flag {@code --add-modules jdk.incubator.vector}; the system property
 * {@value #FORCE_SCALAR_PROPERTY}{@code =true} forces the scalar path. The scalar path never loads
 * a Vector API class, so it runs on a JVM without that module.
 */
public enum KernelPath {
  /** The plain Java loops, which are the specification of the numerics. */
  SCALAR,
  /** The Java Vector API loops, for the formats and dtypes that have one; the others run scalar. */
  VECTOR;

  /** System property that forces the scalar path when set to {@code true}. */
  public static final String FORCE_SCALAR_PROPERTY = "qspark.kernels.scalar";

  /** The incubator module that contains the Java Vector API (from JDK 16; JDK 17 is the build's release). */
  public static final String VECTOR_MODULE = "jdk.incubator.vector";

  private static final Logger LOG = LoggerFactory.getLogger(KernelPath.class);

  /** Returns whether this JVM can run the path: always for SCALAR, with the Vector API module for VECTOR. */
  public boolean isAvailable() {
    return this == SCALAR || Selection.VECTOR_MODULE_PRESENT;
  }

  /** Returns the path chosen for this JVM, deciding and logging on the first call. */
  public static KernelPath selected() {
    return Selection.SELECTED;
  }

  /** Holds the one-time decision; initialized on the first call of {@link #selected()}. */
  private static final class Selection {

    static final boolean VECTOR_MODULE_PRESENT = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();

    static final KernelPath SELECTED = choose();

    private static KernelPath choose() {
      if (Boolean.getBoolean(FORCE_SCALAR_PROPERTY)) {
        LOG.info("Quantization kernels: scalar path, forced by -D{}=true", FORCE_SCALAR_PROPERTY);
        return SCALAR;
      }
      if (!VECTOR_MODULE_PRESENT) {
        LOG.info("Quantization kernels: scalar path, because module {} is not loaded; add the JVM flag"
            + " --add-modules {} for the Vector API path", VECTOR_MODULE, VECTOR_MODULE);
        return SCALAR;
      }
      LOG.info("Quantization kernels: Vector API path ({}); -D{}=true forces the scalar path",
          dev.qspark.kernels.simd.Kernels.describeVectorShape(), FORCE_SCALAR_PROPERTY);
      return VECTOR;
    }
  }
}
