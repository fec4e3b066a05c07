package dev.qspark.job.output;

import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.TensorPlan;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightQuantizer.StorageInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of {@code quantized/}: one per config, tensor and block of rows, partitioned by
 * {@code config_id}. Every float is the exact stored value; the block layout is {@link QuantizedBlock}'s.
 */
public final class QuantizedSchema {

  public static final String CONFIG_ID = "config_id";
  public static final String TENSOR = "tensor";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(CONFIG_ID, DataTypes.StringType, false),
            DataTypes.createStructField("config", DataTypes.StringType, false),
            DataTypes.createStructField(TENSOR, DataTypes.StringType, false),
            DataTypes.createStructField("layer", DataTypes.IntegerType, true),
            DataTypes.createStructField("module", DataTypes.StringType, false),
            DataTypes.createStructField("row_start", DataTypes.LongType, false),
            DataTypes.createStructField("row_count", DataTypes.IntegerType, false),
            DataTypes.createStructField("shape", DataTypes.createArrayType(DataTypes.LongType, false), false),
            DataTypes.createStructField(
                "block_size", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField("qdata", DataTypes.BinaryType, false),
            DataTypes.createStructField("scale", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField(
                "zero_point", DataTypes.createArrayType(DataTypes.FloatType, false), true),
            DataTypes.createStructField("qdata_dtype", DataTypes.StringType, false),
            DataTypes.createStructField("scale_dtype", DataTypes.StringType, false),
            DataTypes.createStructField("zero_point_dtype", DataTypes.StringType, true),
          });

  private QuantizedSchema() {}

  /** Builds the row of one quantized block. */
  public static Row row(JobConfig config, TensorPlan tensor, long rowStart, QuantizedBlock block, StorageInfo storage) {
    return RowFactory.create(
        config.configId(),
        config.canonical(),
        tensor.name(),
        tensor.layer(),
        tensor.module(),
        rowStart,
        block.rowCount(),
        boxed(tensor.entry().shape()),
        boxed(storage.blockSize()),
        block.qdata(),
        block.scale(),
        block.zeroPoint(),
        storage.qdataDtype(),
        storage.scaleDtype(),
        storage.zeroPointDtype());
  }

  private static Long[] boxed(long[] values) {
    Long[] boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  private static Integer[] boxed(int[] values) {
    Integer[] boxed = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }
}
