package dev.qspark.kernels.format;

/**
 * The placement of two 4-bit values in one byte, for the Int4 formats that store two values per
 * byte along a row.
 *
 * <p>For the values {@code q[2j]} (even column) and {@code q[2j+1]} (odd column) of one row, byte
 * {@code j} of that row is, bit 7 on the left:
 * <pre>
 *   EVEN_LOW   (fbgemm pack_int4, Int4Tensor)       | q[2j+1] bits 3..0 | q[2j] bits 3..0   |
 *   EVEN_HIGH  (tinygemm, before the tile layout)   | q[2j] bits 3..0   | q[2j+1] bits 3..0 |
 * </pre>
 * Signed values are stored as two's complement nibbles (-8 is {@code 0x8}, -1 is {@code 0xF}).
 */
public enum Int4NibbleOrder {
  /** Even column in bits 0..3, odd column in bits 4..7. */
  EVEN_LOW,
  /** Even column in bits 4..7, odd column in bits 0..3. */
  EVEN_HIGH;

  /**
   * Packs {@code length} 4-bit values of one row, from {@code valuesOffset}, into {@code length / 2} bytes.
   *
   * @param values the values, each in -8..15 (only its low 4 bits are kept)
   * @param out receives the bytes, from {@code outOffset}
   */
  public void packRow(byte[] values, int valuesOffset, int length, byte[] out, int outOffset) {
    if (length % 2 != 0) {
      throw new IllegalArgumentException("Cannot pack 4-bit values: a row of " + length
          + " values is odd, but two values share one byte");
    }
    for (int j = 0; j < length / 2; j++) {
      int even = values[valuesOffset + 2 * j] & 0xF;
      int odd = values[valuesOffset + 2 * j + 1] & 0xF;
      int packed = this == EVEN_LOW ? even | (odd << 4) : (even << 4) | odd;
      out[outOffset + j] = (byte) packed;
    }
  }

  /** Returns the even column's nibble of a packed byte, 0..15. */
  public int evenNibble(byte packed) {
    return this == EVEN_LOW ? packed & 0xF : (packed >> 4) & 0xF;
  }

  /** Returns the odd column's nibble of a packed byte, 0..15. */
  public int oddNibble(byte packed) {
    return this == EVEN_LOW ? (packed >> 4) & 0xF : packed & 0xF;
  }

  /** Returns a nibble as a signed 4-bit value, -8..7. */
  public static int signExtend(int nibble) {
    return (nibble ^ 0x8) - 0x8;
  }
}
