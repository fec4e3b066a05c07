package dev.qspark.job.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class BroadcastRowsTest {

  private static final StructType SCHEMA = new StructType()
      .add("name", DataTypes.StringType, false)
      .add("value", DataTypes.LongType, true);

  @Test
  void datasetHasRowsInOnePartition() {
    SparkSession spark = SharedSpark.start();
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < 500; i++) {
      rows.add(RowFactory.create("row " + i, i % 7 == 0 ? null : i));
    }

    try (BroadcastRows broadcast = BroadcastRows.of(spark, rows, SCHEMA)) {
      assertThat(broadcast.dataset().schema()).isEqualTo(SCHEMA);
      assertThat(broadcast.dataset().javaRDD().getNumPartitions()).isEqualTo(1);
      assertThat(broadcast.dataset().collectAsList()).containsExactlyElementsOf(rows);
    }
  }

  @Test
  void laterListChangesAreNotSent() {
    SparkSession spark = SharedSpark.start();
    List<Row> rows = new ArrayList<>(List.of(RowFactory.create("first", 1L)));

    try (BroadcastRows broadcast = BroadcastRows.of(spark, rows, SCHEMA)) {
      rows.add(RowFactory.create("second", 2L));

      assertThat(broadcast.dataset().collectAsList()).containsExactly(RowFactory.create("first", 1L));
    }
  }
}
