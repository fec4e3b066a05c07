package dev.qspark.job.output;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bit widths of the bare torch dtype names the kernels report ({@code int4}, {@code uint6}, {@code bfloat16}). */
public final class TorchDtypeBits {

  private static final Pattern SIZED_NAME = Pattern.compile("(?:u?int|b?float)(\\d+)");

  private TorchDtypeBits() {}

  /**
   * Returns the bits of one value of {@code dtype}.
   *
   * @throws IllegalArgumentException for a name without a bit width, such as {@code bool}
   */
  public static int bits(String dtype) {
    Matcher matcher = SIZED_NAME.matcher(dtype);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "Cannot size dtype '" + dtype + "': expected a torch name such as int4, uint6, int32 or bfloat16");
    }
    return Integer.parseInt(matcher.group(1));
  }

  /** Returns the bytes that {@code count} values of a qparam dtype occupy, one value per whole byte. */
  public static long qparamBytes(String dtype, long count) {
    return count * Math.max(1, bits(dtype) / 8);
  }
}
