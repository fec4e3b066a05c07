package dev.qspark.job.cli;

import dev.qspark.job.fetch.KnownModel;
import dev.qspark.job.fetch.ModelFetcher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code qspark fetch-model NAME}: downloads a known model through Maven and imports it once. */
@Command(
        name = "fetch-model",
        description = {
            "Downloads a known ONNX model from Maven Central with the mvn command, imports it as bf16"
                    + " safetensors into the cache and prints the model folder on standard output.",
            "Later calls reuse the cached folder."
        })
final class FetchModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(
            index = "0",
            paramLabel = "NAME",
            completionCandidates = KnownModelNames.class,
            description = "Known model name: ${COMPLETION-CANDIDATES}")
    String name;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "Cache folder for fetched models (default: $XDG_CACHE_HOME/qspark/models,"
                    + " or ~/.cache/qspark/models when XDG_CACHE_HOME is unset)")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
        KnownModel model = KnownModel.require(name);
        PrintWriter progress = spec.commandLine().getErr();
        Path cache = cacheDir != null ? cacheDir : ModelFetcher.defaultCacheRoot();
        Path folder = new ModelFetcher(cache, progress).fetch(model);
        spec.commandLine().getOut().println(folder);
        return 0;
    }
}
