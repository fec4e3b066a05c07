package dev.qspark.kernels;

/**
 * The device whose arithmetic the kernels reproduce.
 *
 * <p>The devices differ in one operation: a tensor divided by a Python number. The CPU computes a
 * true float32 division; CUDA and XPU multiply by the float32 reciprocal {@code 1.0f / divisor}.
 * For bfloat16 and float16 inputs both give the same result for every divisor torchao uses, so the
 * choice matters for float32 inputs and for Int4Tensor, which computes in float32.
 */
public enum DeviceArithmetic {
  CPU("cpu"),
  CUDA("cuda"),
  XPU("xpu");

  private final String label;

  DeviceArithmetic(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Divides by a constant the way this device computes {@code tensor / python_number} in float32. */
  public float divideByScalar(float dividend, float divisor) {
    if (this == CPU) {
      return dividend / divisor;
    }
    return dividend * (1.0f / divisor);
  }

  public static DeviceArithmetic parse(String text) {
    for (DeviceArithmetic device : values()) {
      if (device.label.equalsIgnoreCase(text.trim())) {
        return device;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported device arithmetic '" + text + "': expected cpu, cuda or xpu");
  }

  @Override
  public String toString() {
    return label;
  }
}
