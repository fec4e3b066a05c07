package dev.qspark.job.report;

import dev.qspark.job.output.QuantizedSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a sweep's report, {@code DIR/report/}: {@code index.html} and one CSV file per table.
 *
 * <p>Runs on the driver; the scale statistics and the version comparisons run as Spark jobs over
 * {@code DIR/quantized/}, and {@code DIR/metrics/} is collected to the driver (one row per config and
 * tensor). The files are written to a temporary sibling folder that is renamed to {@code report}
 * when complete, replacing an earlier report.
 */
public final class SweepReport {

  public static final String REPORT_FOLDER = "report";
  public static final String INDEX_FILE = "index.html";
  public static final String METRICS_FOLDER = "metrics";
  public static final String QUANTIZED_FOLDER = "quantized";

  private static final Logger LOG = LoggerFactory.getLogger(SweepReport.class);

  private SweepReport() {}

  /**
   * Reads the sweep in {@code sweepDir} and writes its report.
   *
   * @return the report folder, {@code sweepDir/report}, with its file system's scheme
   * @throws IOException when the sweep cannot be read or the report cannot be written
   */
  public static Path write(SparkSession spark, String sweepDir) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(sweepDir);
    FileSystem fs = root.getFileSystem(conf);
    Path metricsPath = new Path(root, METRICS_FOLDER);
    if (!fs.exists(metricsPath)) {
      throw new IOException("Cannot read sweep " + root + ": " + METRICS_FOLDER + "/ is missing; expected the"
          + " output folder of qspark sweep or qspark quantize");
    }
    SweepManifest manifest = SweepManifest.read(sweepDir, conf);
    List<MetricRow> metrics = readMetrics(spark, metricsPath);
    Path quantizedPath = new Path(root, QUANTIZED_FOLDER);
    Dataset<Row> quantized = fs.exists(quantizedPath)
        ? spark.read().schema(QuantizedSchema.SCHEMA).parquet(quantizedPath.toString())
        : null;
    LOG.info("Writing the report of {}: {} metric rows, quantized blocks {}", root, metrics.size(),
        quantized == null ? "missing" : "present");

    List<CsvTable> tables = new ArrayList<>();
    List<ConfigSummary> summaries = ConfigSummary.of(metrics);
    List<ConfigSummary> front = ParetoFront.of(summaries);
    SqnrBreakdown byLayer = SqnrBreakdown.byLayer(metrics);
    SqnrBreakdown byModuleType = SqnrBreakdown.byModuleType(metrics);
    tables.add(ReportTables.summary(summaries, front));
    tables.add(ReportTables.pareto(front));
    tables.add(ReportTables.breakdown("sqnr_by_layer", byLayer));
    tables.add(ReportTables.breakdown("sqnr_by_module_type", byModuleType));
    tables.add(ReportTables.metrics(metrics));

    List<VersionComparison> comparisons = new ArrayList<>();
    if (quantized != null) {
      for (VersionPair pair : VersionPair.find(configsById(metrics))) {
        comparisons.add(VersionComparison.compute(spark, quantized, quantizedPath, metrics, pair, manifest));
      }
      tables.add(ReportTables.versionPairs(comparisons));
      tables.add(ReportTables.versionTensors(comparisons));
      tables.addAll(ScaleStatistics.compute(spark, quantized));
    } else {
      LOG.warn("Sweep {} has no {}/ folder, so the report leaves out the version comparison and the scale"
          + " statistics", root, QUANTIZED_FOLDER);
    }

    List<String> csvFiles = new ArrayList<>();
    tables.forEach(table -> csvFiles.add(table.fileName()));
    ReportContent content = new ReportContent(root.toString(), root.getName(), manifest.scalarFields(),
        tensorCount(metrics), summaries, front, byLayer, byModuleType, comparisons, csvFiles);
    String html = new HtmlReportPage(content).render();

    Path target = new Path(root, REPORT_FOLDER);
    Path temporary = new Path(root, REPORT_FOLDER + "._temporary-" + UUID.randomUUID());
    try {
      fs.mkdirs(temporary);
      for (CsvTable table : tables) {
        writeText(fs, new Path(temporary, table.fileName()), table.toCsv());
      }
      writeText(fs, new Path(temporary, INDEX_FILE), html);
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("Cannot replace " + target + ": deleting the earlier report failed");
      }
      if (!fs.rename(temporary, target)) {
        throw new IOException("Cannot write " + target + ": renaming " + temporary + " failed");
      }
    } catch (IOException | RuntimeException e) {
      deleteQuietly(fs, temporary, e);
      throw e;
    }
    LOG.info("Wrote {} with {} CSV tables", new Path(target, INDEX_FILE), tables.size());
    return fs.makeQualified(target);
  }

  /** Collects the {@code metrics/} table to the driver, ordered by config id and tensor. */
  public static List<MetricRow> readMetrics(SparkSession spark, Path metricsPath) {
    spark.sparkContext().setJobDescription("report: read metrics");
    List<MetricRow> rows = new ArrayList<>();
    for (Row row : spark.read().parquet(metricsPath.toString()).orderBy("config_id", "tensor").collectAsList()) {
      rows.add(MetricRow.fromRow(row));
    }
    spark.sparkContext().setJobDescription(null);
    return rows;
  }

  private static Map<String, String> configsById(List<MetricRow> metrics) {
    Map<String, String> configs = new LinkedHashMap<>();
    for (MetricRow row : metrics) {
      configs.putIfAbsent(row.configId(), row.config());
    }
    return configs;
  }

  private static int tensorCount(List<MetricRow> metrics) {
    Set<String> tensors = new HashSet<>();
    metrics.forEach(row -> tensors.add(row.tensor()));
    return tensors.size();
  }

  private static void writeText(FileSystem fs, Path path, String text) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void deleteQuietly(FileSystem fs, Path path, Exception cause) {
    try {
      fs.delete(path, true);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }
}
