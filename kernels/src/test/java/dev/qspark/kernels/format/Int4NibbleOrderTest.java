package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Int4NibbleOrderTest {

  private static final byte[] ROW = {1, 2, -8, -1, 15, 0};

  @Test
  void evenLowGoldenBytes() {
    byte[] packed = new byte[3];
    Int4NibbleOrder.EVEN_LOW.packRow(ROW, 0, ROW.length, packed, 0);
    assertThat(packed).containsExactly(0x21, 0xF8, 0x0F);
  }

  @Test
  void evenHighGoldenBytes() {
    byte[] packed = new byte[4];
    Int4NibbleOrder.EVEN_HIGH.packRow(ROW, 2, 4, packed, 1);
    assertThat(packed).containsExactly(0x00, 0x8F, 0xF0, 0x00);
  }

  @Test
  void unpackReadsBackPackedNibbles() {
    for (Int4NibbleOrder order : Int4NibbleOrder.values()) {
      byte[] packed = new byte[3];
      order.packRow(ROW, 0, ROW.length, packed, 0);
      for (int j = 0; j < packed.length; j++) {
        assertThat(order.evenNibble(packed[j])).as("%s even %d", order, j).isEqualTo(ROW[2 * j] & 0xF);
        assertThat(order.oddNibble(packed[j])).as("%s odd %d", order, j).isEqualTo(ROW[2 * j + 1] & 0xF);
      }
    }
  }

  @Test
  void signExtendCoversSignedRange() {
    assertThat(Int4NibbleOrder.signExtend(0x8)).isEqualTo(-8);
    assertThat(Int4NibbleOrder.signExtend(0xF)).isEqualTo(-1);
    assertThat(Int4NibbleOrder.signExtend(0x0)).isEqualTo(0);
    assertThat(Int4NibbleOrder.signExtend(0x7)).isEqualTo(7);
  }

  @Test
  void oddRowLengthRejected() {
    assertThatThrownBy(() -> Int4NibbleOrder.EVEN_LOW.packRow(ROW, 0, 5, new byte[3], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 values is odd");
  }
}
