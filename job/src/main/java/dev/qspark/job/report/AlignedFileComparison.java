package dev.qspark.job.report;

import dev.qspark.job.output.QuantizedSchema;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the blocks of a version pair without a shuffle, when both versions' Parquet files contain
 * the same blocks in the same order. The quantize job writes them so: each of its tasks quantizes a
 * list of work units with every config and writes one file per config, so file {@code part-K} of
 * every config contains the blocks of task K's units, in the same order.
 *
 * <p>Runs on the driver. The n-th file of each version, in file name order, is read in one Spark
 * task, and the two files are walked in step. A task that meets two blocks with different tensors or
 * row starts, or files with different block counts, reports the files as not aligned, and the caller
 * then joins the blocks instead.
 */
final class AlignedFileComparison {

  private static final Logger LOG = LoggerFactory.getLogger(AlignedFileComparison.class);

  /** The {@code quantized/} columns that the comparison reads, with their stored types. */
  static final StructType BLOCK_SCHEMA = blockSchema();

  private AlignedFileComparison() {}

  /**
   * The differences per tensor from one pair of files, or the reason the files are not aligned.
   *
   * @param misalignment null when the files are aligned
   */
  record FileDifferences(Map<String, BlockDifference> tensors, String misalignment) implements Serializable {}

  /**
   * Compares the pair file by file, when both versions have data files under {@code quantizedPath}
   * in {@code config_id=ID} folders, equally many, and every pair of files is aligned.
   *
   * @return the differences per tensor, or empty when the blocks must be joined instead
   */
  static Optional<Map<String, BlockDifference>> compute(
      SparkSession spark, Path quantizedPath, VersionPair pair, BlockDifferenceFunction function) throws IOException {
    FileSystem fs = quantizedPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
    List<Path> v1Files = dataFiles(fs, partitionFolder(quantizedPath, pair.v1ConfigId()));
    List<Path> v2Files = dataFiles(fs, partitionFolder(quantizedPath, pair.v2ConfigId()));
    if (v1Files.isEmpty() || v1Files.size() != v2Files.size()) {
      // The join gives the same differences with a shuffle, so this choice is only logged at DEBUG.
      LOG.debug("Comparing {} with {} by a join on tensor and row range, not file by file: their folders under"
          + " quantized/ contain {} and {} data files, which do not pair up one to one",
          pair.v1ConfigId(), pair.v2ConfigId(), v1Files.size(), v2Files.size());
      return Optional.empty();
    }

    Map<String, BlockDifference> differences = new HashMap<>();
    for (FileDifferences file : filePairs(spark, v1Files, v2Files, function).collect()) {
      if (file.misalignment() != null) {
        LOG.debug("Comparing {} with {} by a join on tensor and row range, not file by file: {}",
            pair.v1ConfigId(), pair.v2ConfigId(), file.misalignment());
        return Optional.empty();
      }
      file.tensors().forEach((tensor, difference) -> differences.merge(tensor, difference, BlockDifference::plus));
    }
    return Optional.of(differences);
  }

  /** Builds one single-partition RDD per pair of files, each compared in one task, and their union. */
  @SuppressWarnings("unchecked")
  static JavaRDD<FileDifferences> filePairs(
      SparkSession spark, List<Path> v1Files, List<Path> v2Files, BlockDifferenceFunction function) {
    JavaRDD<FileDifferences>[] pairs = new JavaRDD[v1Files.size()];
    for (int i = 0; i < pairs.length; i++) {
      String v1Name = v1Files.get(i).getName();
      String v2Name = v2Files.get(i).getName();
      pairs[i] = blocks(spark, v1Files.get(i)).zipPartitions(blocks(spark, v2Files.get(i)),
          (v1, v2) -> List.of(compareInOrder(v1, v2, function, v1Name, v2Name)).iterator());
    }
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).union(pairs);
  }

  /**
   * Reads the comparison's columns of one data file as a single partition, in file order: a scan of
   * one file splits it by row groups in offset order, and {@code coalesce(1)} concatenates the splits
   * without a shuffle.
   */
  private static JavaRDD<Row> blocks(SparkSession spark, Path file) {
    return spark.read().schema(BLOCK_SCHEMA).parquet(file.toString()).coalesce(1).javaRDD();
  }

  /** Walks both files' blocks in step, comparing each pair of blocks with the same tensor and row start. */
  static FileDifferences compareInOrder(
      Iterator<Row> v1, Iterator<Row> v2, BlockDifferenceFunction function, String v1File, String v2File) {
    Map<String, BlockDifference> tensors = new HashMap<>();
    long block = 0;
    while (v1.hasNext() && v2.hasNext()) {
      Row v1Block = v1.next();
      Row v2Block = v2.next();
      String tensor = v1Block.getAs("tensor");
      long rowStart = v1Block.<Long>getAs("row_start");
      if (!tensor.equals(v2Block.getAs("tensor")) || rowStart != v2Block.<Long>getAs("row_start")) {
        return new FileDifferences(null, String.format("block %d of %s is %s rows from %d, but in %s it is %s rows"
            + " from %d", block, v1File, tensor, rowStart, v2File, v2Block.getAs("tensor"),
            v2Block.<Long>getAs("row_start")));
      }
      tensors.merge(tensor, function.compare(v1Block, v2Block), BlockDifference::plus);
      block++;
    }
    if (v1.hasNext() || v2.hasNext()) {
      return new FileDifferences(null, String.format("%s contains more blocks than %s",
          v1.hasNext() ? v1File : v2File, v1.hasNext() ? v2File : v1File));
    }
    return new FileDifferences(tensors, null);
  }

  /**
   * Returns the folder of one config's files. Spark escapes some characters in partition folder
   * names, so a config id that needs escaping finds no folder here and that pair is joined instead.
   */
  private static Path partitionFolder(Path quantizedPath, String configId) {
    return new Path(quantizedPath, QuantizedSchema.CONFIG_ID + "=" + configId);
  }

  /**
   * Returns a folder's data files in name order, without names that start with {@code _} or
   * {@code .}, as Spark does.
   */
  private static List<Path> dataFiles(FileSystem fs, Path folder) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!fs.exists(folder)) {
      return files;
    }
    for (FileStatus status : fs.listStatus(folder)) {
      String name = status.getPath().getName();
      if (status.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
        files.add(status.getPath());
      }
    }
    files.sort(null);
    return files;
  }

  private static StructType blockSchema() {
    List<StructField> fields = new ArrayList<>();
    for (String column : BlockDifferenceFunction.COLUMNS) {
      fields.add(QuantizedSchema.SCHEMA.apply(column));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }
}
