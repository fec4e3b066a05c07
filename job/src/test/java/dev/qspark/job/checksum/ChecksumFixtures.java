package dev.qspark.job.checksum;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Run output folders with a {@code quantized/} made by {@link QuantizedFixture}, for command tests. */
public final class ChecksumFixtures {

  private ChecksumFixtures() {}

  /** Writes the fixture's rows for {@code seed}, split into blocks of {@code blockRows}, from {@code partitions}. */
  public static void write(SparkSession spark, long seed, int[] blockRows, Path outputDir, int partitions) {
    QuantizedParquet.write(spark, new QuantizedFixture(seed).rows(blockRows), outputDir, partitions);
  }

  /** Writes the fixture with bit 0 of the first qdata byte of the config's second block flipped. */
  public static void writeWithFlippedBit(
      SparkSession spark, long seed, int[] blockRows, Path outputDir, int partitions, String configId) {
    List<BlockRow> rows = new QuantizedFixture(seed).rows(blockRows);
    rows.get(secondBlock(rows, configId)).qdata()[0] ^= 1;
    QuantizedParquet.write(spark, rows, outputDir, partitions);
  }

  /** Writes the fixture without the config's second block. */
  public static void writeWithoutBlock(
      SparkSession spark, long seed, int[] blockRows, Path outputDir, int partitions, String configId) {
    List<BlockRow> rows = new QuantizedFixture(seed).rows(blockRows);
    rows.remove(secondBlock(rows, configId));
    QuantizedParquet.write(spark, rows, outputDir, partitions);
  }

  private static int secondBlock(List<BlockRow> rows, String configId) {
    for (int index = 0; index < rows.size(); index++) {
      if (rows.get(index).configId().equals(configId)) {
        return index + 1;
      }
    }
    throw new IllegalArgumentException("no rows of config " + configId);
  }
}
