package dev.qspark.checkpoint.onnx;

import static dev.qspark.checkpoint.onnx.OnnxBytes.FLOAT;
import static dev.qspark.checkpoint.onnx.OnnxBytes.FLOAT16;
import static dev.qspark.checkpoint.onnx.OnnxBytes.INT32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.checkpoint.DecodedSafetensors;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImporterTest {

    private static final String QUERY = "encoder.layer.0.attention.self.query";
    /** 1 + 2^-8 is a bf16 tie that rounds down to 1.0; 1 + 3 * 2^-8 rounds up to 1 + 2^-6. */
    private static final float TIE_DOWN = 1.00390625f;
    private static final float TIE_UP = 1.01171875f;

    @TempDir
    Path folder;

    /**
     * Writes a small graph in the shape PyTorch's exporter gives BERT. It has a query Linear as MatMul
     * plus Add with generated initializer names, and named parameters that stay as they are. It also
     * has a LayerNormalization and a Gemm with transB and generated names, and tensors in raw_data and
     * in typed fields.
     */
    private Path writeTinyModel() throws IOException {
        String hidden = "/embeddings/LayerNorm/Add_1_output_0";
        String queryOut = "/encoder/layer.0/attention/self/query/MatMul_output_0";
        byte[] graph = OnnxBytes.graph(
                List.of(
                        OnnxBytes.node("/embeddings/word_embeddings/Gather", "Gather",
                                List.of("embeddings.word_embeddings.weight", "input_ids"), List.of("embedded")),
                        OnnxBytes.node("/encoder/layer.0/attention/self/query/MatMul", "MatMul",
                                List.of(hidden, "onnx::MatMul_7"), List.of(queryOut)),
                        OnnxBytes.node("/encoder/layer.0/attention/self/query/Add", "Add",
                                List.of("onnx::Add_8", queryOut), List.of("query")),
                        OnnxBytes.node("/encoder/layer.0/output/LayerNorm/LayerNormalization", "LayerNormalization",
                                List.of("query", "onnx::Mul_10", "onnx::Add_11"), List.of("normed")),
                        OnnxBytes.node("/pooler/dense/Gemm", "Gemm",
                                List.of("normed", "onnx::Gemm_12", "onnx::Gemm_13"), List.of("pooled"),
                                Map.of("transB", 1L)),
                        OnnxBytes.node("MatMul_20", "MatMul", List.of("pooled", "onnx::MatMul_21"), List.of("out")),
                        OnnxBytes.node("/Div", "Div", List.of("out", "onnx::Div_14"), List.of("logits"))),
                List.of(
                        OnnxBytes.floatTensor("embeddings.word_embeddings.weight", new long[] {4, 2},
                                0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f),
                        OnnxBytes.int64Tensor("embeddings.position_ids", new long[] {1, 4}, 0, 1, 2, 3),
                        OnnxBytes.rawTensor("onnx::MatMul_7", FLOAT, new long[] {2, 3},
                                OnnxBytes.littleEndianFloats(1f, 2f, 3f, 4f, 5f, TIE_UP)),
                        OnnxBytes.floatTensor("onnx::Add_8", new long[] {3}, TIE_DOWN, TIE_UP, -0.5f),
                        OnnxBytes.floatTensor("onnx::Mul_10", new long[] {3}, 1f, 1f, 1f),
                        OnnxBytes.floatTensor("onnx::Add_11", new long[] {3}, 0f, 0f, 0f),
                        OnnxBytes.floatTensor("onnx::Gemm_12", new long[] {2, 3}, 1f, 2f, 3f, 4f, 5f, 6f),
                        OnnxBytes.floatTensor("onnx::Gemm_13", new long[] {2}, 7f, 8f),
                        OnnxBytes.rawTensor("onnx::MatMul_21", FLOAT, new long[] {2, 2},
                                OnnxBytes.littleEndianFloats(1f, 2f, 3f, 4f)),
                        OnnxBytes.rawTensor("onnx::Div_14", FLOAT, new long[] {}, OnnxBytes.littleEndianFloats(8f)),
                        OnnxBytes.int32DataTensor("encoder.mask_table", INT32, new long[] {3}, -1, 0, 7),
                        OnnxBytes.int32DataTensor("head.scale", FLOAT16, new long[] {2}, 0x3c00, 0xc000)));
        Path file = folder.resolve("tiny.onnx");
        Files.write(file, OnnxBytes.model(graph));
        return file;
    }

    @Test
    void namesFollowModulesOfTheGraph() throws IOException {
        OnnxImporter.Summary summary = OnnxImporter.importModel(writeTinyModel(), folder.resolve("out"), TargetDtype.BF16);

        DecodedSafetensors read = DecodedSafetensors.read(folder.resolve("out/model.safetensors"));
        assertThat(read.tensorNames()).containsExactly(
                "embeddings.position_ids",
                "embeddings.word_embeddings.weight",
                QUERY + ".bias",
                QUERY + ".weight",
                "encoder.layer.0.output.LayerNorm.bias",
                "encoder.layer.0.output.LayerNorm.weight",
                "encoder.mask_table",
                "head.scale",
                "onnx::Div_14",
                "onnx::MatMul_21",
                "pooler.dense.bias",
                "pooler.dense.weight");
        assertThat(summary.tensorCount()).isEqualTo(12);
        assertThat(summary.elementCount()).isEqualTo(8 + 4 + 6 + 3 + 3 + 3 + 6 + 2 + 4 + 1 + 3 + 2);
        assertThat(summary.transposedCount()).isEqualTo(2);
        assertThat(read.header.get("__metadata__").get("format").asText()).isEqualTo("pt");
    }

    @Test
    void matMulWeightIsTransposedToOutIn() throws IOException {
        OnnxImporter.importModel(writeTinyModel(), folder.resolve("out"), TargetDtype.BF16);

        DecodedSafetensors read = DecodedSafetensors.read(folder.resolve("out/model.safetensors"));
        assertThat(read.dtype(QUERY + ".weight")).isEqualTo("BF16");
        assertThat(read.shape(QUERY + ".weight")).containsExactly(3, 2);
        // ONNX [in=2, out=3] rows {1, 2, 3} and {4, 5, TIE_UP} become PyTorch [out=3, in=2].
        assertThat(bfloat16Values(read.data(QUERY + ".weight"))).containsExactly(1f, 4f, 2f, 5f, 3f, 1.015625f);

        // A MatMul whose node name gives no module keeps its ONNX name but is still transposed.
        assertThat(read.shape("onnx::MatMul_21")).containsExactly(2, 2);
        assertThat(bfloat16Values(read.data("onnx::MatMul_21"))).containsExactly(1f, 3f, 2f, 4f);

        // Gemm with transB = 1 already stores [out, in].
        assertThat(read.shape("pooler.dense.weight")).containsExactly(2, 3);
        assertThat(bfloat16Values(read.data("pooler.dense.weight"))).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
    }

    @Test
    void floatsRoundToNearestEvenBfloat16() throws IOException {
        OnnxImporter.importModel(writeTinyModel(), folder.resolve("out"), TargetDtype.BF16);

        DecodedSafetensors read = DecodedSafetensors.read(folder.resolve("out/model.safetensors"));
        assertThat(read.shape(QUERY + ".bias")).containsExactly(3);
        assertThat(bfloat16Values(read.data(QUERY + ".bias"))).containsExactly(1f, 1.015625f, -0.5f);
        assertThat(read.shape("onnx::Div_14")).isEmpty();
        assertThat(bfloat16Values(read.data("onnx::Div_14"))).containsExactly(8f);
        // float16 stored in int32_data converts exactly.
        assertThat(read.dtype("head.scale")).isEqualTo("BF16");
        assertThat(bfloat16Values(read.data("head.scale"))).containsExactly(1f, -2f);
    }

    @Test
    void integerTensorsStayUnchanged() throws IOException {
        OnnxImporter.importModel(writeTinyModel(), folder.resolve("out"), TargetDtype.BF16);

        DecodedSafetensors read = DecodedSafetensors.read(folder.resolve("out/model.safetensors"));
        assertThat(read.dtype("embeddings.position_ids")).isEqualTo("I64");
        assertThat(read.shape("embeddings.position_ids")).containsExactly(1, 4);
        ByteBuffer positions = read.data("embeddings.position_ids");
        assertThat(new long[] {positions.getLong(0), positions.getLong(8), positions.getLong(16), positions.getLong(24)})
                .containsExactly(0, 1, 2, 3);

        assertThat(read.dtype("encoder.mask_table")).isEqualTo("I32");
        ByteBuffer mask = read.data("encoder.mask_table");
        assertThat(new int[] {mask.getInt(0), mask.getInt(4), mask.getInt(8)}).containsExactly(-1, 0, 7);
    }

    @Test
    void fp32KeepsExactValues() throws IOException {
        OnnxImporter.importModel(writeTinyModel(), folder.resolve("out"), TargetDtype.FP32);

        DecodedSafetensors read = DecodedSafetensors.read(folder.resolve("out/model.safetensors"));
        assertThat(read.dtype(QUERY + ".bias")).isEqualTo("F32");
        ByteBuffer bias = read.data(QUERY + ".bias");
        assertThat(new float[] {bias.getFloat(0), bias.getFloat(4), bias.getFloat(8)}).containsExactly(TIE_DOWN, TIE_UP, -0.5f);
        ByteBuffer weight = read.data(QUERY + ".weight");
        assertThat(weight.getFloat(5 * 4)).isEqualTo(TIE_UP);
        assertThat(read.dtype("embeddings.word_embeddings.weight")).isEqualTo("F32");
        assertThat(read.data("embeddings.word_embeddings.weight").getFloat(7 * 4)).isEqualTo(7f);
    }

    @Test
    void fp16UsesIeeeHalfBits() throws IOException {
        OnnxImporter.importModel(writeTinyModel(), folder.resolve("out"), TargetDtype.FP16);

        DecodedSafetensors read = DecodedSafetensors.read(folder.resolve("out/model.safetensors"));
        assertThat(read.dtype(QUERY + ".bias")).isEqualTo("F16");
        ByteBuffer bias = read.data(QUERY + ".bias");
        // 1 + 2^-8 and 1 + 3 * 2^-8 are exact in float16 (10 mantissa bits).
        assertThat(new int[] {bias.getShort(0) & 0xffff, bias.getShort(2) & 0xffff, bias.getShort(4) & 0xffff})
                .containsExactly(0x3c04, 0x3c0c, 0xb800);
        ByteBuffer scale = read.data("head.scale");
        assertThat(new int[] {scale.getShort(0) & 0xffff, scale.getShort(2) & 0xffff}).containsExactly(0x3c00, 0xc000);
    }

    @Test
    void missingFileNamesThePath() {
        Path missing = folder.resolve("missing.onnx");
        assertThatThrownBy(() -> OnnxImporter.importModel(missing, folder.resolve("out"), TargetDtype.BF16))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("Cannot read " + missing + ": file not found");
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void externalDataIsRejected() throws IOException {
        Path file = folder.resolve("external.onnx");
        Files.write(file, OnnxBytes.model(OnnxBytes.graph(List.of(),
                List.of(OnnxBytes.externalTensor("encoder.big.weight", new long[] {4, 4})))));

        assertThatThrownBy(() -> OnnxImporter.importModel(file, folder.resolve("out"), TargetDtype.BF16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot read " + file)
                .hasMessageContaining("'encoder.big.weight'")
                .hasMessageContaining("external data is not supported");
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void rawDataOfWrongLengthIsRejected() throws IOException {
        Path file = folder.resolve("short.onnx");
        Files.write(file, OnnxBytes.model(OnnxBytes.graph(List.of(),
                List.of(OnnxBytes.rawTensor("a.weight", FLOAT, new long[] {2, 3}, new byte[20])))));

        assertThatThrownBy(() -> OnnxModelReader.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot read " + file + ": initializer 'a.weight' has FLOAT dims [2, 3]"
                        + " (6 elements, 24 bytes) but raw_data holds 20 bytes");
    }

    @Test
    void typedDataOfWrongCountIsRejected() throws IOException {
        Path file = folder.resolve("typed.onnx");
        Files.write(file, OnnxBytes.model(OnnxBytes.graph(List.of(),
                List.of(OnnxBytes.floatTensor("a.bias", new long[] {3}, 1f, 2f)))));

        assertThatThrownBy(() -> OnnxModelReader.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a.bias' has FLOAT dims [3] (3 elements) but 2 values in float_data");
    }

    @Test
    void nonOnnxFileIsRejected() throws IOException {
        Path file = folder.resolve("notes.onnx");
        Files.writeString(file, "this is not a protobuf file\n");

        assertThatThrownBy(() -> OnnxModelReader.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot read " + file + ": ");
    }

    @Test
    void outputThatIsAFileIsRejected() throws IOException {
        Path model = writeTinyModel();
        Path out = Files.writeString(folder.resolve("out"), "x");

        assertThatThrownBy(() -> OnnxImporter.importModel(model, out, TargetDtype.BF16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot write " + out + ": it is a file");
    }

    @Test
    void modulePathComesFromNodeName() {
        assertThat(OnnxWeightNaming.modulePath("/encoder/layer.0/attention/self/query/MatMul"))
                .isEqualTo(QUERY);
        assertThat(OnnxWeightNaming.modulePath("/MatMul")).isNull();
        assertThat(OnnxWeightNaming.modulePath("MatMul_12")).isNull();
        assertThat(OnnxWeightNaming.modulePath("/encoder/bad name/MatMul")).isNull();
        assertThat(OnnxWeightNaming.isParameterName("embeddings.LayerNorm.weight")).isTrue();
        assertThat(OnnxWeightNaming.isParameterName("onnx::MatMul_1234")).isFalse();
    }

    private static float[] bfloat16Values(ByteBuffer data) {
        float[] values = new float[data.remaining() / 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = FloatNarrowing.fromBfloat16Bits(data.getShort(i * 2));
        }
        return values;
    }
}
