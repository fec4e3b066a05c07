package dev.qspark.checkpoint;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The element types of the safetensors format, with their width in bits. The names and widths are
 * those of the Rust crate {@code safetensors} 0.6 ({@code Dtype::bitsize}); the sub-byte types F4,
 * F6_E2M3 and F6_E3M2 are packed, so a tensor of them must fill a whole number of bytes.
 */
public enum Dtype {
  BOOL(8, Kind.BOOLEAN),
  F4(4, Kind.LOW_PRECISION_FLOAT),
  F6_E2M3(6, Kind.LOW_PRECISION_FLOAT),
  F6_E3M2(6, Kind.LOW_PRECISION_FLOAT),
  U8(8, Kind.INTEGER),
  I8(8, Kind.INTEGER),
  F8_E5M2(8, Kind.LOW_PRECISION_FLOAT),
  F8_E4M3(8, Kind.LOW_PRECISION_FLOAT),
  F8_E8M0(8, Kind.LOW_PRECISION_FLOAT),
  I16(16, Kind.INTEGER),
  U16(16, Kind.INTEGER),
  F16(16, Kind.FLOAT),
  BF16(16, Kind.FLOAT),
  I32(32, Kind.INTEGER),
  U32(32, Kind.INTEGER),
  F32(32, Kind.FLOAT),
  C64(64, Kind.COMPLEX),
  F64(64, Kind.DOUBLE),
  I64(64, Kind.INTEGER),
  U64(64, Kind.INTEGER);

  /** Broad families of element types, used to decide what can be read as floats and quantized. */
  public enum Kind {
    BOOLEAN,
    INTEGER,
    /** F32, BF16 and F16: the types torchao quantizes and {@link TensorBlockReader} decodes. */
    FLOAT,
    /** F64: floating point, but not a weight type torchao's weight-only configs take. */
    DOUBLE,
    /** 8-bit and smaller floats, which are already quantized formats. */
    LOW_PRECISION_FLOAT,
    COMPLEX
  }

  private final int bits;
  private final Kind kind;

  Dtype(int bits, Kind kind) {
    this.bits = bits;
    this.kind = kind;
  }

  /** Width of one element in bits. */
  public int bits() {
    return bits;
  }

  public Kind kind() {
    return kind;
  }

  /** Returns whether {@link TensorBlockReader} decodes this type to {@code float} (F32, BF16, F16). */
  public boolean isDecodable() {
    return kind == Kind.FLOAT;
  }

  /** Lower-case name as used in messages, for example {@code bf16}. */
  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Looks up a dtype by its exact safetensors name, for example {@code "BF16"}. */
  public static Optional<Dtype> fromName(String name) {
    for (Dtype dtype : values()) {
      if (dtype.name().equals(name)) {
        return Optional.of(dtype);
      }
    }
    return Optional.empty();
  }

  /** Returns all names, comma-separated, for error messages. */
  public static String acceptedNames() {
    return Arrays.stream(values()).map(Dtype::name).collect(Collectors.joining(", "));
  }
}
