package dev.qspark.job.cli;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.job.SparkSessions;
import dev.qspark.job.verify.ConfigVerification;
import dev.qspark.job.verify.ManifestSettings;
import dev.qspark.job.verify.VerifyRun;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Rereads the output of {@code quantize} or {@code sweep}, dequantizes every stored block with its
 * stored qparams, recomputes the metrics against the model and compares them with {@code metrics/}.
 * Exits 0 when everything matches and 1 otherwise, printing the first differences; invalid input and
 * files it cannot read exit with 2 through {@link ErrorReporting}.
 */
@Command(
    name = "verify",
    description = {
      "Checks a quantize or sweep output folder against the model: rebuilds every stored block from its"
          + " qdata and qparams, dequantizes it, recomputes the metrics and compares them with metrics/.",
      "Exits 0 when everything matches, 1 when something differs or DIR has no _SUCCESS file, and 2 when an"
          + " argument is invalid or a file cannot be read."
    })
public final class VerifyCommand implements Callable<Integer> {

  /** Exit code when the output does not match the model or its metrics. */
  static final int MISMATCH = 1;

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "DIR", description = "The output folder of a quantize or sweep run.")
  String outputDir;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description = "The checkpoint the output was made from, as given to quantize or sweep.")
  String model;

  @Option(
      names = "--torchao",
      paramLabel = "RELEASE",
      description = "The torchao release the output was made with (default: torchao_release from DIR/manifest.json).")
  String torchao;

  @Option(
      names = "--device-arithmetic",
      paramLabel = "DEVICE",
      description = "cpu, cuda or xpu (default: device_arithmetic from DIR/manifest.json, else each format's own).")
  String deviceArithmetic;

  @Mixin SparkOptions spark;

  @Option(
      names = "--max-differences",
      paramLabel = "N",
      description = "Differences printed per config (default: ${DEFAULT-VALUE}).")
  int maxDifferences = 10;

  @Override
  public Integer call() throws Exception {
    Configuration hadoopConf = SparkOptions.hadoopConf(spark.conf);
    Path dir = new Path(outputDir);
    FileSystem fs = dir.getFileSystem(hadoopConf);
    for (String required : List.of("quantized", "metrics")) {
      if (!fs.exists(new Path(dir, required))) {
        throw new FileNotFoundException("Cannot verify " + outputDir + ": it has no " + required
            + "/ folder; pass the output folder of quantize or sweep");
      }
    }
    boolean finished = UnfinishedRun.isFinished(outputDir, hadoopConf);
    ManifestSettings settings = settings(fs, new Path(dir, "manifest.json"));
    Checkpoint checkpoint = Checkpoint.open(ModelResolver.resolve(model), hadoopConf, CheckpointOptions.DEFAULT);

    boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
    SparkSessions.hideTaskFailureLogs(spark.master);
    SparkSession session = SparkSessions.getOrCreate(spark.master, spark.conf);
    List<ConfigVerification> results;
    try {
      results = VerifyRun.run(session, fs.makeQualified(dir).toString(), checkpoint, settings.release(),
          settings.device());
    } finally {
      if (ownSession) {
        session.stop();
      }
    }
    return print(results, finished);
  }

  /** Returns the release and device of the manifest, each replaced by its option where one is given. */
  private ManifestSettings settings(FileSystem fs, Path manifest) throws Exception {
    TorchaoRelease release = torchao == null ? null : TorchaoRelease.parse(torchao);
    DeviceArithmetic device = deviceArithmetic == null ? null : DeviceArithmetic.parse(deviceArithmetic);
    if (fs.exists(manifest)) {
      ManifestSettings stored = ManifestSettings.read(fs, manifest);
      release = release != null ? release : stored.release();
      device = deviceArithmetic != null ? device : stored.device();
    } else if (release == null) {
      throw new FileNotFoundException("Cannot verify " + outputDir + ": it has no manifest.json; pass --torchao"
          + " and --device-arithmetic");
    }
    return new ManifestSettings(release, device);
  }

  /** Prints the results and returns the exit code; an output folder without _SUCCESS never passes. */
  private int print(List<ConfigVerification> results, boolean finished) {
    PrintWriter out = spec.commandLine().getOut();
    List<String> mismatched = new ArrayList<>();
    for (ConfigVerification result : results) {
      String counts = result.quantizedTensors() + " tensors quantized in " + result.blocks() + " blocks, "
          + result.otherTensors() + " kept, skipped or rejected";
      if (result.matches()) {
        out.printf("%-28s OK        %s%n", result.configId(), counts);
        continue;
      }
      mismatched.add(result.configId());
      out.printf("%-28s MISMATCH  %d differences; %s%n", result.configId(), result.differences().size(), counts);
      for (String difference : result.differences().subList(0, Math.min(maxDifferences,
          result.differences().size()))) {
        out.println("    " + difference);
      }
    }
    if (results.isEmpty()) {
      out.println("No configs found in metrics/ or quantized/");
      out.flush();
      return MISMATCH;
    }
    out.println(mismatched.isEmpty()
        ? (results.size() == 1 ? "The config matches" : "All " + results.size() + " configs match")
            + " the model and metrics/"
        : mismatched.size() + " of " + results.size() + " configs differ: " + String.join(", ", mismatched));
    if (!finished) {
      out.println(UnfinishedRun.message(outputDir, "configs or tensors may be missing from it"));
    }
    out.flush();
    return mismatched.isEmpty() && finished ? 0 : MISMATCH;
  }
}
