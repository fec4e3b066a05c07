package dev.qspark.kernels.config;

/**
 * An enum that torchao declares as {@code class X(str, Enum)}, so a config accepts both
 * {@code X.NAME} and the plain string value.
 */
interface TorchaoStringEnum {

  /** The string value, e.g. {@code plain} for {@code Int4PackingFormat.PLAIN}. */
  String value();
}
