package dev.qspark.job.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.format.Int4PlainQuantizer;
import dev.qspark.kernels.format.Int4TinygemmV1Quantizer;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.DeviceArithmetic;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class SweepReportTest {

  static final List<String> CONFIGS = List.of(
      "Int4WeightOnlyConfig(group_size=32)",
      "Int4WeightOnlyConfig(group_size=32, version=1)",
      "Int4WeightOnlyConfig(group_size=64)");

  @TempDir static Path temp;
  static SparkSession spark;
  static Path sweep;
  static Path report;

  @BeforeAll
  static void writeSweepAndReport() throws Exception {
    spark = SweepFixture.startSpark("SweepReportTest");
    sweep = temp.resolve("sweep");
    SweepFixture.write(spark, SweepFixture.sharedDir().resolve("models/stories260K"), sweep, CONFIGS);
    report = Path.of(SweepReport.write(spark, sweep.toString()).toUri());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void reportFolderHasPageAndTables() {
    assertThat(report.resolve("index.html")).isRegularFile();
    for (String name : List.of("summary", "pareto_front", "sqnr_by_layer", "sqnr_by_module_type", "metrics",
        "version_comparison", "version_tensors", "scale_stats", "scale_histogram")) {
      assertThat(report.resolve(name + ".csv")).as(name).isRegularFile();
    }
    File[] leftovers = sweep.toFile().listFiles((dir, name) -> name.contains("_temporary"));
    assertThat(leftovers).isEmpty();
  }

  @Test
  void summaryMatchesSparkAggregates() throws Exception {
    Map<String, List<String>> summary = csvByFirstColumn("summary.csv");
    assertThat(summary).hasSize(CONFIGS.size());
    List<Row> expected = spark.read().parquet(sweep.resolve("metrics").toString())
        .where("status = 'quantized'").groupBy("config_id")
        .agg(org.apache.spark.sql.functions.avg("sqnr_db").as("mean"),
            org.apache.spark.sql.functions.min("sqnr_db").as("min"),
            org.apache.spark.sql.functions.count("*").as("n"))
        .collectAsList();
    assertThat(expected).hasSize(CONFIGS.size());
    List<String> header = csvHeader("summary.csv");
    for (Row row : expected) {
      List<String> line = summary.get(row.<String>getAs("config_id"));
      assertThat(Long.parseLong(line.get(header.indexOf("quantized")))).isEqualTo(row.<Long>getAs("n"));
      assertThat(Double.parseDouble(line.get(header.indexOf("mean_sqnr_db"))))
          .isCloseTo(row.<Double>getAs("mean"), within(1e-3));
      assertThat(Double.parseDouble(line.get(header.indexOf("min_sqnr_db"))))
          .isCloseTo(row.<Double>getAs("min"), within(1e-3));
    }
  }

  @Test
  void downProjIsSkippedByEveryInt4Config() throws Exception {
    Map<String, List<String>> summary = csvByFirstColumn("summary.csv");
    List<String> header = csvHeader("summary.csv");
    for (List<String> line : summary.values()) {
      assertThat(line.get(header.indexOf("skipped"))).as(line.get(0)).isEqualTo("5");
      assertThat(line.get(header.indexOf("quantized"))).as(line.get(0)).isEqualTo("30");
    }
  }

  @Test
  void paretoFrontHoldsOnlyUndominatedConfigs() throws Exception {
    List<String> header = csvHeader("summary.csv");
    Map<String, List<String>> summary = csvByFirstColumn("summary.csv");
    int bits = header.indexOf("bits_per_weight");
    int mean = header.indexOf("mean_sqnr_db");
    int front = header.indexOf("on_pareto_front");
    for (List<String> line : summary.values()) {
      boolean dominated = false;
      for (List<String> other : summary.values()) {
        double otherBits = Double.parseDouble(other.get(bits));
        double otherMean = Double.parseDouble(other.get(mean));
        double lineBits = Double.parseDouble(line.get(bits));
        double lineMean = Double.parseDouble(line.get(mean));
        if (otherBits <= lineBits && otherMean >= lineMean && (otherBits < lineBits || otherMean > lineMean)) {
          dominated = true;
        }
      }
      assertThat(Boolean.parseBoolean(line.get(front))).as(line.get(0)).isEqualTo(!dominated);
    }
    // Version 1 pads in_features 64 to 1024, so it stores 16 times the qdata and cannot be on the front.
    assertThat(summary.get("int4-v1-g32").get(front)).isEqualTo("false");
  }

  @Test
  void versionPairComparesDequantizedValues() throws Exception {
    List<String> header = csvHeader("version_comparison.csv");
    Map<String, List<String>> pairs = csvByFirstColumn("version_comparison.csv");
    assertThat(pairs).containsOnlyKeys("int4-v1-g32");
    List<String> pair = pairs.get("int4-v1-g32");
    assertThat(pair.get(header.indexOf("v2_config_id"))).isEqualTo("int4-v2-g32");
    assertThat(pair.get(header.indexOf("reason"))).contains("tinygemm");

    List<String> tensorHeader = csvHeader("version_tensors.csv");
    String tensor = "model.layers.2.self_attn.q_proj.weight";
    List<String> line = null;
    for (List<String> row : csvRows("version_tensors.csv")) {
      if (row.get(tensorHeader.indexOf("tensor")).equals(tensor)) {
        line = row;
      }
    }
    assertThat(line).as(tensor).isNotNull();
    double[] expected = differingShares(tensor);
    assertThat(Double.parseDouble(line.get(tensorHeader.indexOf("differing_value_share"))))
        .isCloseTo(expected[0], within(1e-6));
    assertThat(Double.parseDouble(line.get(tensorHeader.indexOf("differing_scale_share"))))
        .isCloseTo(expected[1], within(1e-6));
    assertThat(expected[0]).isGreaterThan(0);
  }

  @Test
  void scaleHistogramCountsEveryStoredScale() throws Exception {
    List<String> header = csvHeader("scale_histogram.csv");
    long total = 0;
    for (List<String> row : csvRows("scale_histogram.csv")) {
      if (row.get(0).equals("int4-v2-g64")) {
        total += Long.parseLong(row.get(header.indexOf("count")));
        int bin = Integer.parseInt(row.get(header.indexOf("bin")));
        assertThat(bin).isBetween(0, ScaleStatistics.HISTOGRAM_BINS - 1);
      }
    }
    long expected = spark.read().parquet(sweep.resolve("quantized").toString())
        .where("config_id = 'int4-v2-g64'").selectExpr("sum(size(scale))").first().getLong(0);
    assertThat(total).isEqualTo(expected);
  }

  @Test
  void pageHasTablesAndCharts() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document page = factory.newDocumentBuilder().parse(report.resolve("index.html").toFile());
    XPath xpath = XPathFactory.newInstance().newXPath();

    NodeList summaryRows = (NodeList) xpath.evaluate("//table[@id='summary-table']/tbody[@class='config']", page,
        XPathConstants.NODESET);
    assertThat(summaryRows.getLength()).isEqualTo(CONFIGS.size());
    NodeList worstChips = (NodeList) xpath.evaluate("//table[@id='summary-table']//span[@class='chip']", page,
        XPathConstants.NODESET);
    assertThat(worstChips.getLength()).isEqualTo(CONFIGS.size() * ConfigSummary.WORST_TENSOR_COUNT);
    NodeList points = (NodeList) xpath.evaluate("//*[local-name()='svg'][@id='pareto-chart']//*[local-name()='circle'][starts-with(@class,'point')]",
        page, XPathConstants.NODESET);
    assertThat(points.getLength()).isEqualTo(CONFIGS.size());
    NodeList series = (NodeList) xpath.evaluate("//*[local-name()='svg'][@id='layer-chart']//*[local-name()='g'][@class='series']",
        page, XPathConstants.NODESET);
    assertThat(series.getLength()).isEqualTo(CONFIGS.size());
    NodeList moduleColumns = (NodeList) xpath.evaluate("//table[@id='module-type-table']/thead/tr/th", page, XPathConstants.NODESET);
    // config plus q_proj, k_proj, v_proj, o_proj, gate_proj and up_proj; down_proj is never quantized here.
    assertThat(moduleColumns.getLength()).isEqualTo(7);
    assertThat((Double) xpath.evaluate("count(//table[@class='version-table'])", page, XPathConstants.NUMBER))
        .isEqualTo(1.0);
    String html = Files.readString(report.resolve("index.html"));
    assertThat(html).doesNotContain("http://www.w3.org/1999").doesNotContain("<script").doesNotContain("<link");
  }

  @Test
  void pageRendersInChromium() throws Exception {
    Optional<Path> chromium = HeadlessChromium.find();
    requireTool(chromium.isPresent(),
        "chromium is not on the PATH, so the page is not rendered; install Debian's chromium package to run this");
    Path target = Path.of(System.getProperty("user.dir"), "target");
    Path preview = target.resolve("report-preview");
    FileUtils.deleteDirectory(preview.toFile());
    FileUtils.copyDirectory(report.toFile(), preview.toFile());
    Path screenshot = target.resolve("report-screenshot.png");
    Files.deleteIfExists(screenshot);

    HeadlessChromium.screenshot(chromium.get(), preview.resolve("index.html"), screenshot, 2400, temp);

    BufferedImage image = ImageIO.read(screenshot.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    Set<Integer> colors = new HashSet<>();
    long nonWhite = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        colors.add(rgb);
        if (rgb < 0xF0F0F0) {
          nonWhite++;
        }
      }
    }
    long sampled = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
    assertThat(colors.size()).as("distinct colors").isGreaterThan(50);
    assertThat((double) nonWhite / sampled).as("share of non-background pixels").isGreaterThan(0.03);
    // The Pareto front's red marker color (#e15759) must appear: the chart was drawn.
    assertThat(colors).contains(0xE15759);
  }

  @Test
  void notebookRunsOnReport() throws Exception {
    requireTool(isOnPath("jupyter"),
        "jupyter is not on the PATH, so the notebook is not executed; install Debian's jupyter-nbconvert,"
            + " python3-ipykernel, python3-pandas and python3-matplotlib to run this");
    Path script = Path.of(System.getProperty("user.dir")).resolve("../notebooks/run.sh").normalize();
    Path output = temp.resolve("notebook");
    Path log = temp.resolve("notebook.log");
    Process process = new ProcessBuilder("sh", script.toString(), sweep.toString(), output.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(process.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)).as("notebook finished").isTrue();
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();

    String executed = Files.readString(output.resolve("sweep_report.executed.ipynb"));
    assertThat(executed).doesNotContain("\"output_type\": \"error\"");
    assertThat(executed).contains("int4-v1-g32 vs int4-v2-g32").contains("image/png");
  }

  private static boolean isOnPath(String command) {
    String pathVariable = System.getenv("PATH");
    if (pathVariable == null) {
      return false;
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** Dequantizes the whole tensor with both versions straight from the checkpoint and counts the differences. */
  private static double[] differingShares(String tensorName) throws Exception {
    Configuration conf = new Configuration();
    Checkpoint checkpoint = Checkpoint.open(
        SweepFixture.sharedDir().resolve("models/stories260K").toString(), conf, CheckpointOptions.DEFAULT);
    TensorEntry tensor = checkpoint.tensor(tensorName).orElseThrow();
    float[] values;
    try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), conf)) {
      values = reader.readRows(tensor, 0, (int) tensor.rowCount());
    }
    WeightBlock block = WeightBlock.wholeTensor(values, (int) tensor.rowCount(), (int) tensor.rowLength(),
        FloatDtype.BFLOAT16);
    WeightQuantizer v1 = new Int4TinygemmV1Quantizer(32, TorchaoRelease.V0_15, DeviceArithmetic.CUDA);
    WeightQuantizer v2 = new Int4PlainQuantizer(32, TorchaoRelease.V0_15, DeviceArithmetic.CUDA);
    QuantizedBlock q1 = v1.quantize(block, null);
    QuantizedBlock q2 = v2.quantize(block, null);
    float[] d1 = v1.dequantize(q1, FloatDtype.BFLOAT16);
    float[] d2 = v2.dequantize(q2, FloatDtype.BFLOAT16);
    int differing = 0;
    for (int i = 0; i < d1.length; i++) {
      if (d1[i] != d2[i]) {
        differing++;
      }
    }
    int differingScales = 0;
    for (int i = 0; i < q1.scale().length; i++) {
      if (Float.compare(q1.scale()[i], q2.scale()[i]) != 0) {
        differingScales++;
      }
    }
    return new double[] {(double) differing / d1.length, (double) differingScales / q1.scale().length};
  }

  static List<String> csvHeader(String file) throws Exception {
    return List.of(Files.readAllLines(report.resolve(file)).get(0).split(",", -1));
  }

  /** Reads the data rows of a report CSV; the tests read only files whose fields have no quotes. */
  static List<List<String>> csvRows(String file) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(report.resolve(file));
    for (String line : lines.subList(1, lines.size())) {
      rows.add(splitCsvLine(line));
    }
    return rows;
  }

  static Map<String, List<String>> csvByFirstColumn(String file) throws Exception {
    Map<String, List<String>> byKey = new HashMap<>();
    for (List<String> row : csvRows(file)) {
      byKey.put(row.get(0), row);
    }
    return byKey;
  }

  /** Splits one CSV line, honouring double-quoted fields. */
  static List<String> splitCsvLine(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  /**
   * Skips a test whose tool is missing on a developer's machine, but fails it in CI (CI=true), where
   * .ci/run installs the tool, so a broken install cannot pass as a skip.
   */
  private static void requireTool(boolean present, String message) {
    if ("true".equals(System.getenv("CI"))) {
      assertThat(present).as(message).isTrue();
    }
    Assumptions.assumeTrue(present, message);
  }
}
