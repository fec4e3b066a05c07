package dev.qspark.job.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;

import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.InvalidConfigException;
import dev.qspark.kernels.config.QuantConfigs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Version 1 against version 2 of one config pair: per tensor, how many dequantized values and scales
 * differ, and the SQNR of each version.
 *
 * @param tensors one entry per tensor both versions quantized, most differing first
 * @param total the counts over all those tensors
 * @param dequantized whether the report could dequantize both versions' blocks
 */
public record VersionComparison(
    VersionPair pair, List<TensorDifference> tensors, BlockDifference total, boolean dequantized) {

  private static final Logger LOG = LoggerFactory.getLogger(VersionComparison.class);

  /** One tensor's differences, with each version's SQNR in dB. */
  public record TensorDifference(String tensor, BlockDifference difference, double v1SqnrDb, double v2SqnrDb) {

    public double sqnrDifferenceDb() {
      return v2SqnrDb - v1SqnrDb;
    }
  }

  /** Mean SQNR of version 2 minus that of version 1, over the tensors both quantized. */
  public double meanSqnrDifferenceDb() {
    List<Double> v1 = new ArrayList<>();
    List<Double> v2 = new ArrayList<>();
    for (TensorDifference tensor : tensors) {
      v1.add(tensor.v1SqnrDb());
      v2.add(tensor.v2SqnrDb());
    }
    return SqnrStatistics.of(v2).mean() - SqnrStatistics.of(v1).mean();
  }

  /**
   * Compares the pair's stored blocks in {@code quantized}, the sweep's {@code quantized/} table read
   * from {@code quantizedPath}. When both versions' Parquet files contain the same blocks in the same
   * order, as the quantize job writes them, each pair of files is compared in one task without a
   * shuffle. Otherwise a Spark join on tensor and row range pairs the blocks.
   */
  public static VersionComparison compute(SparkSession spark, Dataset<Row> quantized, Path quantizedPath,
      List<MetricRow> metrics, VersionPair pair, SweepManifest manifest) throws IOException {
    WeightQuantizer v1 = quantizerFor(pair.v1ConfigId(), pair.v1Config(), manifest).orElse(null);
    WeightQuantizer v2 = quantizerFor(pair.v2ConfigId(), pair.v2Config(), manifest).orElse(null);
    Map<String, Double> v1Sqnr = new HashMap<>();
    Map<String, Double> v2Sqnr = new HashMap<>();
    Map<String, Integer> bytesPerElement = new HashMap<>();
    for (MetricRow row : metrics) {
      if (!row.isQuantized()) {
        continue;
      }
      if (row.configId().equals(pair.v1ConfigId())) {
        v1Sqnr.put(row.tensor(), row.sqnrDb());
      } else if (row.configId().equals(pair.v2ConfigId())) {
        v2Sqnr.put(row.tensor(), row.sqnrDb());
      }
      if (row.elements() > 0) {
        bytesPerElement.put(row.tensor(), (int) (row.bytesIn() / row.elements()));
      }
    }

    BlockDifferenceFunction function = new BlockDifferenceFunction(v1, v2, bytesPerElement);
    spark.sparkContext().setJobDescription("report: compare " + pair.v1ConfigId() + " with " + pair.v2ConfigId());
    Map<String, BlockDifference> differences = AlignedFileComparison.compute(spark, quantizedPath, pair, function)
        .orElseGet(() -> joinedDifferences(quantized, pair, function));
    spark.sparkContext().setJobDescription(null);

    List<TensorDifference> tensors = new ArrayList<>();
    BlockDifference total = new BlockDifference(0, 0, 0, 0, 0);
    for (Map.Entry<String, BlockDifference> entry : differences.entrySet()) {
      tensors.add(new TensorDifference(entry.getKey(), entry.getValue(),
          v1Sqnr.getOrDefault(entry.getKey(), Double.NaN), v2Sqnr.getOrDefault(entry.getKey(), Double.NaN)));
      total = total.plus(entry.getValue());
    }
    tensors.sort(Comparator
        .comparingDouble((TensorDifference t) -> -orZero(t.difference().differingValueShare()))
        .thenComparingDouble(t -> -orZero(t.difference().differingScaleShare()))
        .thenComparingDouble(t -> -Math.abs(orZero(t.sqnrDifferenceDb())))
        .thenComparing(TensorDifference::tensor));
    return new VersionComparison(pair, List.copyOf(tensors), total, v1 != null && v2 != null);
  }

  /**
   * Pairs the blocks of both versions with a join on tensor and row range, which shuffles both
   * versions' blocks, {@code qdata} included.
   */
  static Map<String, BlockDifference> joinedDifferences(
      Dataset<Row> quantized, VersionPair pair, BlockDifferenceFunction function) {
    Dataset<Row> left = side(quantized, pair.v1ConfigId());
    Dataset<Row> right = side(quantized, pair.v2ConfigId())
        .withColumnRenamed("tensor", "r_tensor")
        .withColumnRenamed("row_start", "r_row_start")
        .withColumnRenamed("block", "r_block");
    Dataset<Row> joined = left.join(right,
            left.col("tensor").equalTo(right.col("r_tensor")).and(left.col("row_start").equalTo(right.col("r_row_start"))))
        .select(col("block"), col("r_block"));
    List<Tuple2<String, BlockDifference>> collected = joined.javaRDD()
        .mapToPair(row -> {
          Row v1Block = row.getStruct(0);
          return new Tuple2<>(v1Block.<String>getAs("tensor"), function.compare(v1Block, row.getStruct(1)));
        })
        .reduceByKey(BlockDifference::plus)
        .collect();
    Map<String, BlockDifference> differences = new HashMap<>();
    collected.forEach(entry -> differences.put(entry._1(), entry._2()));
    return differences;
  }

  /** Selects one version's blocks: the join keys and a struct of the {@link BlockDifferenceFunction#COLUMNS}. */
  static Dataset<Row> side(Dataset<Row> quantized, String configId) {
    Column[] blockColumns = BlockDifferenceFunction.COLUMNS.stream().map(name -> col(name)).toArray(Column[]::new);
    return quantized.where(col("config_id").equalTo(configId))
        .select(col("tensor"), col("row_start"), struct(blockColumns).as("block"));
  }

  private static Optional<WeightQuantizer> quantizerFor(String configId, String config, SweepManifest manifest) {
    try {
      return ReportQuantizers.forConfig(
          QuantConfigs.parse(config, manifest.release(), manifest.deviceArithmetic(configId)));
    } catch (InvalidConfigException e) {
      LOG.warn("Cannot dequantize config {} for the version comparison, so only scales and SQNR are compared: {}",
          configId, e.getMessage());
      return Optional.empty();
    }
  }

  private static double orZero(double value) {
    return Double.isNaN(value) ? 0 : value;
  }
}
