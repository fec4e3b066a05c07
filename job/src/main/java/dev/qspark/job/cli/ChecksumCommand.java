package dev.qspark.job.cli;

import dev.qspark.job.SparkSessions;
import dev.qspark.job.checksum.MetricsCoverage;
import dev.qspark.job.checksum.QuantizedChecksums;
import dev.qspark.job.checksum.QuantizedOutputReader;
import dev.qspark.job.output.OutputFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qspark checksum DIR}: one SHA-256 per config over a run's quantized values, independent of
 * block size, partitioning and timing, for comparing runs (local against cluster, before and after a
 * change). The encoding is described on {@link QuantizedChecksums}.
 */
@Command(
    name = "checksum",
    description = {
      "Prints one line 'CONFIG_ID<TAB>SHA256' per config of a run's output folder that quantized a tensor,"
          + " over the config's canonical text and every quantized weight rebuilt from its blocks: shape,"
          + " qdata, scale and zero_point, dtypes. Configs that quantized no tensor are named on standard"
          + " error.",
      "The checksum does not depend on the unit size, partition count, file layout or task timing, so a"
          + " local run and a cluster run of the same model and configs print the same lines.",
      "Fails when rows of a weight are missing or duplicated, when quantized/ and metrics/ disagree on"
          + " which weights were quantized, or when a data file cannot be read."
    })
public final class ChecksumCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "A run's output folder, with quantized/ and metrics/; a local path or a Hadoop URI (file:,"
          + " hdfs:, s3a:).")
  String outputDir;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() throws IOException {
    // Both checks run before Spark starts, so that a wrong folder fails at once.
    Configuration hadoopConf = SparkOptions.hadoopConf(spark.conf);
    requireFolders(hadoopConf);
    UnfinishedRun.warnIfUnfinished(spec.commandLine().getErr(), outputDir, hadoopConf,
        "these checksums may leave out configs or tensors");
    SparkSessions.hideTaskFailureLogs(spark.master);
    SparkSession session = session();
    Map<String, String> checksums;
    List<String> configIds;
    try {
      configIds = MetricsCoverage.check(session, outputDir);
      checksums = QuantizedChecksums.compute(QuantizedOutputReader.sortedRows(session, outputDir));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot checksum " + outputDir + ": " + e.getMessage(), e);
    }
    if (checksums.isEmpty()) {
      // A run where no config quantized any tensor is complete; it has nothing to checksum.
      spec.commandLine().getErr().println("No checksums for " + outputDir
          + ": quantized/ has no rows because no config quantized any tensor");
      spec.commandLine().getErr().flush();
      return 0;
    }

    PrintWriter out = spec.commandLine().getOut();
    checksums.forEach((configId, hex) -> out.println(configId + "\t" + hex));
    out.flush();
    List<String> withoutRows = configIds.stream().filter(id -> !checksums.containsKey(id)).toList();
    if (!withoutRows.isEmpty()) {
      spec.commandLine().getErr().println("No checksums for " + String.join(", ", withoutRows)
          + ": metrics/ lists no quantized tensor of " + (withoutRows.size() == 1 ? "this config" : "these configs"));
      spec.commandLine().getErr().flush();
    }
    return 0;
  }

  private void requireFolders(Configuration hadoopConf) throws IOException {
    for (String folder : new String[] {OutputFolder.QUANTIZED, OutputFolder.METRICS}) {
      Path path = new Path(outputDir, folder);
      if (!path.getFileSystem(hadoopConf).exists(path)) {
        throw new IllegalArgumentException("Cannot checksum " + outputDir + ": " + path
            + " not found; expected the output folder of a quantize or sweep run");
      }
    }
  }

  private SparkSession session() {
    Map<String, String> conf = new LinkedHashMap<>(spark.conf);
    // Partition values such as 0001 must stay strings, or the config ids would change.
    conf.put("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    return SparkSessions.getOrCreate(spark.master, conf);
  }
}
