package dev.qspark.job.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.WeightBlock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A unit of 11 rows of 3 values, value {@code i} equal to {@code i}, decoded in chunks of 4 rows. */
class DecodedChunksTest {

  private static final int ROWS = 11;
  private static final int IN_FEATURES = 3;
  private static final WeightBlock BLOCK = block();

  @Test
  void wholeChunksAreNotCopied() {
    DecodedChunks unit = new DecodedChunks(UnitRows.of(BLOCK), 4);
    float[] scratch = new float[4 * IN_FEATURES];

    float[] first = unit.rows(0, 4, scratch);
    float[] last = unit.rows(8, 3, new float[3 * IN_FEATURES]);

    assertThat(first).isNotSameAs(scratch).isEqualTo(values(0, 4));
    assertThat(unit.rows(0, 4, scratch)).isSameAs(first);
    assertThat(last).isEqualTo(values(8, 3));
  }

  @ParameterizedTest(name = "rows [{0}, {0} + {1})")
  @CsvSource({"1, 2", "3, 6", "0, 11", "7, 4", "10, 1"})
  void rowsAcrossChunksFillScratch(int firstRow, int rows) {
    DecodedChunks unit = new DecodedChunks(UnitRows.of(BLOCK), 4);
    float[] scratch = new float[rows * IN_FEATURES];

    assertThat(unit.rows(firstRow, rows, scratch)).isSameAs(scratch).isEqualTo(values(firstRow, rows));
  }

  @Test
  void wholeJoinsTheChunks() {
    WeightBlock whole = new DecodedChunks(UnitRows.of(BLOCK), 4).whole();

    assertThat(whole.values()).isEqualTo(BLOCK.values());
    assertThat(whole.rowStart()).isEqualTo(BLOCK.rowStart());
    assertThat(whole.rowCount()).isEqualTo(ROWS);
    assertThat(whole.outFeatures()).isEqualTo(BLOCK.outFeatures());
  }

  @Test
  void singleChunkWholeIsNotCopied() {
    DecodedChunks unit = new DecodedChunks(UnitRows.of(BLOCK), ROWS);

    assertThat(unit.whole().values()).isSameAs(unit.rows(0, ROWS, new float[0])).isEqualTo(BLOCK.values());
  }

  private static float[] values(int firstRow, int rows) {
    return Arrays.copyOfRange(BLOCK.values(), firstRow * IN_FEATURES, (firstRow + rows) * IN_FEATURES);
  }

  private static WeightBlock block() {
    float[] values = new float[ROWS * IN_FEATURES];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    return new WeightBlock(values, 5, ROWS, 20, IN_FEATURES, FloatDtype.FLOAT32);
  }
}
