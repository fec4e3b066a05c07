package dev.qspark.job.cli;

import dev.qspark.job.fetch.KnownModel;
import dev.qspark.job.fetch.ModelFetcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Optional;

/**
 * Resolution of a {@code --model} argument: a known model name (see {@link KnownModel}) becomes the
 * folder of its cached import, fetched on first use; any other value is a path and stays unchanged.
 * A local folder that happens to have a known model's name is reached as {@code ./NAME}.
 */
public final class ModelResolver {

    private ModelResolver() {}

    /**
     * Returns {@code modelArg} unchanged, or for a known model name the cached model folder, fetching it
     * first when needed. Fetch progress goes to standard error.
     *
     * @throws IOException when fetching or importing a known model fails
     */
    public static String resolve(String modelArg) throws IOException {
        Optional<KnownModel> known = KnownModel.byName(modelArg);
        if (known.isEmpty()) {
            return modelArg;
        }
        PrintWriter progress = new PrintWriter(System.err, true, Charset.defaultCharset());
        return new ModelFetcher(ModelFetcher.defaultCacheRoot(), progress).fetch(known.get()).toString();
    }
}
