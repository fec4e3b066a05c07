package dev.qspark.udfs;

import dev.qspark.kernels.QuantizedBlock;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF4;
import scala.collection.Seq;

/**
 * {@code qspark_qparams(values, in_features, dtype, config)}: the stored qparams of a whole weight,
 * {@code struct<scale array<float>, zero_point array<float>>}, as {@link QuantizeUdf} computes them.
 * Returns NULL when an argument is NULL.
 */
public final class QParamsUdf implements UDF4<Seq<Object>, Integer, String, String, Row> {

  private static final long serialVersionUID = 1L;

  private final WeightQuantization quantization;

  public QParamsUdf(UdfSettings settings) {
    this.quantization = new WeightQuantization(settings);
  }

  @Override
  public Row call(Seq<Object> values, Integer inFeatures, String dtype, String config) {
    if (values == null || inFeatures == null || dtype == null || config == null) {
      return null;
    }
    QuantizedBlock block = quantization.quantize(values, inFeatures, dtype, config);
    return RowFactory.create(block.scale(), block.zeroPoint());
  }
}
