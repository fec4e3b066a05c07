package dev.qspark.kernels.config;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;

/** Builds the canonical constructor text {@code ClassName(field=value, ...)} with Python literals. */
final class CanonicalForm {

  private final StringBuilder text;
  private boolean first = true;

  CanonicalForm(String className) {
    text = new StringBuilder(className).append('(');
  }

  CanonicalForm field(String name, String pythonValue) {
    if (!first) {
      text.append(", ");
    }
    first = false;
    text.append(name).append('=').append(pythonValue);
    return this;
  }

  CanonicalForm field(String name, int value) {
    return field(name, Integer.toString(value));
  }

  CanonicalForm field(String name, Integer value) {
    return field(name, value == null ? "None" : value.toString());
  }

  CanonicalForm field(String name, Boolean value) {
    if (value == null) {
      return field(name, "None");
    }
    return field(name, value ? "True" : "False");
  }

  CanonicalForm field(String name, TorchaoStringEnum value) {
    return field(name, "\"" + value.value() + "\"");
  }

  CanonicalForm field(String name, String enumClassName, Enum<?> value) {
    return field(name, enumClassName + "." + value.name());
  }

  CanonicalForm field(String name, Granularity value) {
    return field(name, value == null ? "None" : value.torchaoSyntax());
  }

  CanonicalForm dtype(String name, FloatDtype value) {
    return field(name, value == null ? "None" : "torch." + value.torchName());
  }

  @Override
  public String toString() {
    return text + ")";
  }
}
