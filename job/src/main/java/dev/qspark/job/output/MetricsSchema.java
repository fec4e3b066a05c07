package dev.qspark.job.output;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The schema of {@code metrics/}: one row per config and tensor, see {@link TensorMetrics}. */
public final class MetricsSchema {

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("config_id", DataTypes.StringType, false),
            DataTypes.createStructField("config", DataTypes.StringType, false),
            DataTypes.createStructField("tensor", DataTypes.StringType, false),
            DataTypes.createStructField("layer", DataTypes.IntegerType, true),
            DataTypes.createStructField("module", DataTypes.StringType, false),
            DataTypes.createStructField("module_type", DataTypes.StringType, false),
            DataTypes.createStructField("status", DataTypes.StringType, false),
            DataTypes.createStructField("reason", DataTypes.StringType, false),
            DataTypes.createStructField("elements", DataTypes.LongType, false),
            DataTypes.createStructField("bytes_in", DataTypes.LongType, false),
            DataTypes.createStructField("stored_bytes", DataTypes.LongType, true),
            DataTypes.createStructField("stored_bits_per_weight", DataTypes.DoubleType, true),
            DataTypes.createStructField("nominal_bits_per_weight", DataTypes.DoubleType, true),
            DataTypes.createStructField("mse", DataTypes.DoubleType, true),
            DataTypes.createStructField("sqnr_db", DataTypes.DoubleType, true),
            DataTypes.createStructField("max_abs_error", DataTypes.DoubleType, true),
            DataTypes.createStructField("relative_frobenius_error", DataTypes.DoubleType, true),
            DataTypes.createStructField("non_finite_count", DataTypes.LongType, true),
          });

  private MetricsSchema() {}

  public static List<Row> rows(List<TensorMetrics> metrics) {
    return metrics.stream().map(MetricsSchema::row).toList();
  }

  private static Row row(TensorMetrics m) {
    return RowFactory.create(
        m.configId(), m.config(), m.tensor(), m.layer(), m.module(), m.moduleType(), m.status(), m.reason(),
        m.elements(), m.bytesIn(), m.storedBytes(), m.storedBitsPerWeight(), m.nominalBitsPerWeight(), m.mse(),
        m.sqnrDb(), m.maxAbsError(), m.relativeFrobeniusError(), m.nonFiniteCount());
  }
}
