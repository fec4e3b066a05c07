package dev.qspark.job.cli;

import dev.qspark.checkpoint.onnx.OnnxImporter;
import dev.qspark.checkpoint.onnx.TargetDtype;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code qspark import-onnx MODEL.onnx OUT}: writes OUT/model.safetensors from an ONNX model's weights. */
@Command(
        name = "import-onnx",
        description = {
            "Writes OUT/model.safetensors from the initializers of an ONNX model.",
            "MatMul weights are transposed to PyTorch's [out, in] layout and named after their module;"
                    + " integer tensors are copied unchanged.",
            "Prints the written file on standard output."
        })
final class ImportOnnxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "ONNX model file with its weights inside")
    Path model;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output folder, created when missing")
    Path output;

    @Option(
            names = "--dtype",
            paramLabel = "DTYPE",
            defaultValue = "bf16",
            completionCandidates = DtypeNames.class,
            description = "Dtype of floating point tensors: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    TargetDtype dtype;

    /** The {@link TargetDtype} names in lower case, as the README writes them, for the --dtype help. */
    static final class DtypeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(TargetDtype.values()).map(dtype -> dtype.name().toLowerCase(Locale.ROOT)).iterator();
        }
    }

    @Option(names = "--overwrite", description = "Replace an existing OUT/model.safetensors.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        Path target = output.resolve(OnnxImporter.MODEL_FILE);
        if (!overwrite && Files.exists(target)) {
            throw new IllegalArgumentException(
                    "Cannot write to " + target + ": it already exists; pass --overwrite to replace it");
        }
        OnnxImporter.Summary summary = OnnxImporter.importModel(model, output, dtype);
        spec.commandLine().getErr().printf("Wrote %d tensors (%d elements, %d MatMul weights transposed) as %s%n",
                summary.tensorCount(), summary.elementCount(), summary.transposedCount(), dtype);
        spec.commandLine().getOut().println(summary.file());
        return 0;
    }
}
