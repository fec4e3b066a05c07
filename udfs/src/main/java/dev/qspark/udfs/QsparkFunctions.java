package dev.qspark.udfs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * qspark's SQL functions, for Spark SQL ({@link #register}) and the Dataset API ({@link #quantize},
 * {@link #qparams}).
 *
 * <p>Both functions take a whole weight: {@code values array<float>} row-major, {@code in_features
 * int} (the row length), {@code dtype string} ({@code float32}, {@code bfloat16} or {@code float16},
 * and each value must be exactly a number of it) and {@code config string} in torchao syntax. The
 * torchao release and device arithmetic come from the session's conf ({@value UdfSettings#TORCHAO_KEY},
 * default {@code 0.15}, and {@value UdfSettings#DEVICE_ARITHMETIC_KEY}, default per format), read
 * when a function is registered or created. A NULL argument gives NULL. An invalid config, or a
 * weight that torchao skips or rejects under it, fails the query with a message naming the config.
 */
public final class QsparkFunctions {

  public static final String QUANTIZE = "qspark_quantize";
  public static final String QPARAMS = "qspark_qparams";

  /** {@code struct<qdata binary, scale array<float>, zero_point array<float>>}. */
  public static final StructType QUANTIZE_TYPE = new StructType()
      .add("qdata", DataTypes.BinaryType, false)
      .add("scale", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("zero_point", DataTypes.createArrayType(DataTypes.FloatType, false), true);

  /** {@code struct<scale array<float>, zero_point array<float>>}. */
  public static final StructType QPARAMS_TYPE = new StructType()
      .add("scale", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("zero_point", DataTypes.createArrayType(DataTypes.FloatType, false), true);

  private QsparkFunctions() {}

  /**
   * Registers {@value #QUANTIZE} and {@value #QPARAMS} in the session with the settings of its conf.
   *
   * @throws IllegalArgumentException when the conf names an unknown release or device
   */
  public static void register(SparkSession spark) {
    UdfSettings settings = UdfSettings.fromConf(spark.conf());
    spark.udf().register(QUANTIZE, new QuantizeUdf(settings), QUANTIZE_TYPE);
    spark.udf().register(QPARAMS, new QParamsUdf(settings), QPARAMS_TYPE);
  }

  /** Returns {@value #QUANTIZE} as a function for the Dataset API, with the settings of the active session. */
  public static UserDefinedFunction quantizeFunction() {
    UdfSettings settings = UdfSettings.fromConf(SparkSession.active().conf());
    return functions.udf(new QuantizeUdf(settings), QUANTIZE_TYPE).withName(QUANTIZE);
  }

  /** Returns {@value #QPARAMS} as a function for the Dataset API, with the settings of the active session. */
  public static UserDefinedFunction qparamsFunction() {
    UdfSettings settings = UdfSettings.fromConf(SparkSession.active().conf());
    return functions.udf(new QParamsUdf(settings), QPARAMS_TYPE).withName(QPARAMS);
  }

  /** Applies {@value #QUANTIZE} to columns, for the Dataset API. */
  public static Column quantize(Column values, Column inFeatures, Column dtype, Column config) {
    return quantizeFunction().apply(values, inFeatures, dtype, config);
  }

  /** Applies {@value #QPARAMS} to columns, for the Dataset API. */
  public static Column qparams(Column values, Column inFeatures, Column dtype, Column config) {
    return qparamsFunction().apply(values, inFeatures, dtype, config);
  }
}
