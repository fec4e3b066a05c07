package dev.qspark.job.output;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A one-partition Dataset of rows from the driver, sent to the task in a broadcast variable. {@link
 * SparkSession#createDataFrame(List, StructType)} puts the rows into the task itself, and Spark logs
 * a warning for a task above 1000 KiB. The metrics of a sweep over a large model reach that size.
 */
public final class BroadcastRows implements AutoCloseable {

  private final Broadcast<List<Row>> rows;
  private final Dataset<Row> dataset;

  private BroadcastRows(SparkSession spark, List<Row> rows, StructType schema) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.rows = sc.broadcast(List.copyOf(rows));
    this.dataset = spark.createDataset(
        sc.parallelize(List.of(0), 1).flatMap(new Rows(this.rows)).rdd(), Encoders.row(schema));
  }

  /** Broadcasts {@code rows} and returns them as a Dataset of {@code schema} in one partition. */
  public static BroadcastRows of(SparkSession spark, List<Row> rows, StructType schema) {
    return new BroadcastRows(spark, rows, schema);
  }

  public Dataset<Row> dataset() {
    return dataset;
  }

  /** Removes the broadcast rows from the driver and the executors. The Dataset cannot run afterwards. */
  @Override
  public void close() {
    rows.destroy();
  }

  /** The task body: the broadcast rows, whatever the partition's one element. */
  private static final class Rows implements FlatMapFunction<Integer, Row> {
    private final Broadcast<List<Row>> rows;

    Rows(Broadcast<List<Row>> rows) {
      this.rows = rows;
    }

    @Override
    public Iterator<Row> call(Integer partition) {
      return rows.value().iterator();
    }
  }
}
