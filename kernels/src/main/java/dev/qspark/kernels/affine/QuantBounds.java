package dev.qspark.kernels.affine;

import java.io.Serializable;

/**
 * The integer range a quantized value is clamped to: torchao's {@code quant_min} and {@code quant_max}.
 *
 * <p>The factories follow torchao's {@code _DTYPE_TO_QVALUE_BOUNDS}: {@code torch.intB} is
 * {@code [-2^(B-1), 2^(B-1) - 1]} and {@code torch.uintB} is {@code [0, 2^B - 1]}.
 *
 * @param quantMin the smallest quantized value
 * @param quantMax the largest quantized value
 */
public record QuantBounds(int quantMin, int quantMax) implements Serializable {

  public QuantBounds {
    if (quantMin > quantMax) {
      throw new IllegalArgumentException(
          "Invalid quantization bounds: quant_min " + quantMin + " is greater than quant_max " + quantMax);
    }
  }

  /** Returns the bounds of {@code torch.int<bits>}, for 1 to 8 bits. */
  public static QuantBounds signed(int bits) {
    requireBits(bits, "int");
    return new QuantBounds(-(1 << (bits - 1)), (1 << (bits - 1)) - 1);
  }

  /** Returns the bounds of {@code torch.uint<bits>}, for 1 to 8 bits. */
  public static QuantBounds unsigned(int bits) {
    requireBits(bits, "uint");
    return new QuantBounds(0, (1 << bits) - 1);
  }

  /** True when no value is negative, so a value stored in a byte is read as unsigned. */
  public boolean isUnsigned() {
    return quantMin >= 0;
  }

  /** Reads a quantized value stored in one byte: two's complement for signed bounds, unsigned otherwise. */
  public int valueOf(byte stored) {
    return isUnsigned() ? stored & 0xFF : stored;
  }

  private static void requireBits(int bits, String prefix) {
    if (bits < 1 || bits > 8) {
      throw new IllegalArgumentException(
          "Unsupported integer dtype " + prefix + bits + ": expected " + prefix + "1 to " + prefix + "8");
    }
  }
}
