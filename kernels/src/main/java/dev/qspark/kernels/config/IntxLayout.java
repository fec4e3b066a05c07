package dev.qspark.kernels.config;

/**
 * The {@code layout} field of IntxWeightOnlyConfig in torchao 0.15, used by version 1 only.
 *
 * <p>Only {@code QDQLayout()}, the default, is listed: the other layouts are packed CPU kernel formats
 * that qspark does not produce.
 */
public enum IntxLayout {
  QDQ("QDQLayout");

  private final String className;

  IntxLayout(String className) {
    this.className = className;
  }

  public String className() {
    return className;
  }

  public String torchaoSyntax() {
    return className + "()";
  }
}
