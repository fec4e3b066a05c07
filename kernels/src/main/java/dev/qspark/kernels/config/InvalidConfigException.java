package dev.qspark.kernels.config;

/** A quantization config that torchao or qspark rejects, or text that is not a config. */
public class InvalidConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String message) {
    super(message);
  }

  /** Creates {@code Invalid <className>: <field>=<value> is not supported; <expectation>}. */
  static InvalidConfigException unsupported(String className, String field, String value, String expectation) {
    return new InvalidConfigException(
        "Invalid " + className + ": " + field + "=" + value + " is not supported; " + expectation);
  }
}
