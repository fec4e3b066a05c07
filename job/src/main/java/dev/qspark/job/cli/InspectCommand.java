package dev.qspark.job.cli;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.CheckpointOptions;
import dev.qspark.checkpoint.TensorSelection;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Lists the tensors of a checkpoint and what a quantization run would do with each, from the
 * safetensors headers alone. Runs on the driver without Spark.
 */
@Command(
    name = "inspect",
    description = {
      "Lists the tensors of a safetensors checkpoint: dtype, shape, size, layer, module, and whether"
          + " it would be quantized or kept, and why.",
      "Reads the headers only, never tensor data."
    })
public final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Parameters(
      index = "0",
      paramLabel = "MODEL",
      completionCandidates = KnownModelNames.class,
      description =
          "A .safetensors file, a folder with model.safetensors, or a folder with"
              + " model.safetensors.index.json and its shards, or a known model name (${COMPLETION-CANDIDATES}),"
              + " fetched on first use as fetch-model does. Local paths and Hadoop URIs (file:, hdfs:, s3a:) are"
              + " accepted.")
  String model;

  @Option(
      names = "--include",
      paramLabel = "REGEX",
      description =
          "Quantize the 2-D F32/BF16/F16 tensors whose name contains a match of REGEX, instead of"
              + " the default linear weights.")
  String include;

  @Option(
      names = "--exclude",
      paramLabel = "REGEX",
      description = "Show the tensors whose name contains a match of REGEX as kept (not quantized); wins over"
          + " --include.")
  String exclude;

  @Option(
      names = "--strict",
      description =
          "Reject files whose data section has bytes that belong to no tensor, as the safetensors"
              + " library does (default: ${DEFAULT-VALUE}). Unlike --strict of quantize and sweep, this"
              + " checks the file layout, not the configs.")
  boolean strict = CheckpointOptions.STRICT_DEFAULT;

  @Option(
      names = "--max-header-bytes",
      paramLabel = "BYTES",
      converter = ByteSizeConverter.class,
      description = "Largest safetensors JSON header accepted, as a byte count or with a KiB, MiB or GiB"
          + " suffix (k, m or g for short), e.g. 200MiB (default: ${DEFAULT-VALUE} bytes).")
  long maxHeaderBytes = CheckpointOptions.MAX_HEADER_BYTES_DEFAULT;

  @Override
  public Integer call() throws Exception {
    CheckpointOptions options = new CheckpointOptions(maxHeaderBytes, strict);
    TensorSelection selection = TensorSelection.fromOptions(include, exclude);
    Checkpoint checkpoint = Checkpoint.open(ModelResolver.resolve(model), new Configuration(), options);

    PrintWriter out = spec.commandLine().getOut();
    new InspectReport(checkpoint, selection).print(out);
    out.flush();
    return 0;
  }
}
