package dev.qspark.job.cli;

import dev.qspark.job.report.SweepReport;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes the HTML and CSV report of a sweep's output folder. */
@Command(
    name = "report",
    description = {
      "Writes DIR/report/: index.html (one self-contained page: summary per config, size against accuracy"
          + " with the Pareto front, SQNR by layer and module type, version 1 against version 2) and a CSV"
          + " file per table, including per-tensor scale statistics and histograms.",
      "DIR is the output folder of qspark sweep or qspark quantize. An existing DIR/report/ is replaced."
    })
public final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "DIR",
      description = "The sweep's output folder, with metrics/ and quantized/. Local paths and Hadoop URIs are accepted.")
  String sweepDir;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: the one spark-submit set, else " + ReportSparkSession.MASTER_DEFAULT + ").")
  String master;

  @Override
  public Integer call() throws Exception {
    boolean sessionExisted = ReportSparkSession.exists();
    SparkSession spark = ReportSparkSession.start("qspark report", master);
    try {
      Path report = SweepReport.write(spark, sweepDir);
      spec.commandLine().getOut().println("Wrote " + new Path(report, SweepReport.INDEX_FILE));
      spec.commandLine().getOut().flush();
      return 0;
    } finally {
      if (!sessionExisted) {
        spark.stop();
      }
    }
  }
}
