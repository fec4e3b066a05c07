package dev.qspark.udfs;

import dev.qspark.kernels.QuantizedBlock;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF4;
import scala.collection.Seq;

/**
 * {@code qspark_quantize(values, in_features, dtype, config)}: the stored form of a whole weight,
 * {@code struct<qdata binary, scale array<float>, zero_point array<float>>} in the block layout of
 * {@link QuantizedBlock}. Returns NULL when an argument is NULL.
 */
public final class QuantizeUdf implements UDF4<Seq<Object>, Integer, String, String, Row> {

  private static final long serialVersionUID = 1L;

  private final WeightQuantization quantization;

  public QuantizeUdf(UdfSettings settings) {
    this.quantization = new WeightQuantization(settings);
  }

  @Override
  public Row call(Seq<Object> values, Integer inFeatures, String dtype, String config) {
    if (values == null || inFeatures == null || dtype == null || config == null) {
      return null;
    }
    QuantizedBlock block = quantization.quantize(values, inFeatures, dtype, config);
    return RowFactory.create(block.qdata(), block.scale(), block.zeroPoint());
  }
}
