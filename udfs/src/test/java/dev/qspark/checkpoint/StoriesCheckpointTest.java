package dev.qspark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Reads the real stories260K checkpoints (Llama layout, tied embeddings) in bf16 and fp32. */
class StoriesCheckpointTest {

  private static final Configuration CONF = new Configuration();

  private static Checkpoint open(String model) throws IOException {
    return Checkpoint.open(
        SharedData.model(model).toString(), CONF, CheckpointOptions.DEFAULT.withStrict(true));
  }

  /** Rounds a float to the nearest bfloat16, ties to even, as torch's {@code .to(torch.bfloat16)}. */
  private static float roundToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int lsb = (bits >>> 16) & 1;
    return Float.intBitsToFloat(((bits + 0x7fff + lsb) >>> 16) << 16);
  }

  @Test
  void bf16ListsAllTensors() throws IOException {
    Checkpoint checkpoint = open("stories260K");

    List<TensorEntry> tensors = checkpoint.tensors();
    assertThat(tensors).hasSize(47);
    assertThat(tensors.stream().mapToLong(TensorEntry::elementCount).sum()).isEqualTo(260_032);
    assertThat(tensors).allSatisfy(tensor -> assertThat(tensor.dtype()).isEqualTo(Dtype.BF16));
    assertThat(tensors.get(0).name()).isEqualTo("model.embed_tokens.weight");
    assertThat(tensors.get(tensors.size() - 1).name()).isEqualTo("model.norm.weight");
    assertThat(checkpoint.tensor("model.layers.0.mlp.down_proj.weight").orElseThrow().shape())
        .containsExactly(64, 172);
    assertThat(checkpoint.tensor("model.layers.3.self_attn.k_proj.weight").orElseThrow().shape())
        .containsExactly(32, 64);
    assertThat(checkpoint.files().get(0).metadata()).containsEntry("format", "pt");
    assertThat(checkpoint.modelConfig().orElseThrow().torchDtype()).isEqualTo("bfloat16");
  }

  @Test
  void defaultSelectionQuantizesLinearWeights() throws IOException {
    Checkpoint checkpoint = open("stories260K");
    TensorSelection selection = TensorSelection.defaults();

    Map<String, SelectionDecision> decisions =
        checkpoint.tensors().stream()
            .collect(Collectors.toMap(TensorEntry::name, selection::decide));

    assertThat(decisions.values().stream().filter(SelectionDecision::isQuantize)).hasSize(35);
    assertThat(decisions.get("model.embed_tokens.weight")).isEqualTo(SelectionDecision.keep("embedding"));
    assertThat(decisions.get("model.norm.weight").action()).isEqualTo(SelectionDecision.Action.KEEP);
    assertThat(decisions.get("model.layers.4.post_attention_layernorm.weight").isQuantize()).isFalse();
    assertThat(decisions.get("model.layers.2.self_attn.v_proj.weight"))
        .isEqualTo(SelectionDecision.quantize("linear weight"));
  }

  @Test
  void tiedEmbeddingsReported() throws IOException {
    TiedEmbeddings tied = open("stories260K").tiedEmbeddings();

    assertThat(tied.tied()).isTrue();
    assertThat(tied.embedding()).isEqualTo("model.embed_tokens.weight");
    assertThat(tied.outputProjection()).isNull();
    assertThat(tied.note())
        .isEqualTo(
            "tied embeddings: config.json sets tie_word_embeddings, so the output projection"
                + " reuses model.embed_tokens.weight");
  }

  @Test
  void fp32CopyHasSameLayout() throws IOException {
    Checkpoint bf16 = open("stories260K");
    Checkpoint fp32 = open("stories260K-fp32");

    assertThat(fp32.tensors()).hasSize(47);
    assertThat(fp32.tensors()).allSatisfy(tensor -> assertThat(tensor.dtype()).isEqualTo(Dtype.F32));
    for (TensorEntry tensor : bf16.tensors()) {
      TensorEntry copy = fp32.tensor(tensor.name()).orElseThrow();
      assertThat(copy.shape()).as(tensor.name()).containsExactly(tensor.shape());
      assertThat(copy.byteLength()).isEqualTo(2 * tensor.byteLength());
    }
  }

  @Test
  void bf16RowsEqualFp32RowsRoundedToBf16() throws IOException {
    Checkpoint bf16 = open("stories260K");
    Checkpoint fp32 = open("stories260K-fp32");
    String bf16File = bf16.files().get(0).file();
    String fp32File = fp32.files().get(0).file();

    long compared = 0;
    try (TensorBlockReader bf16Reader = new TensorBlockReader(bf16File, CONF, 64);
        TensorBlockReader fp32Reader = new TensorBlockReader(fp32File, CONF)) {
      for (TensorEntry tensor : bf16.tensors()) {
        TensorEntry copy = fp32.tensor(tensor.name()).orElseThrow();
        // Blocks of 3 rows, so most blocks start mid-tensor and the last one is short.
        for (long row = 0; row < tensor.rowCount(); row += 3) {
          int rows = (int) Math.min(3, tensor.rowCount() - row);
          float[] actual = bf16Reader.readRows(tensor, row, rows);
          float[] reference = fp32Reader.readRows(copy, row, rows);
          assertThat(actual).hasSameSizeAs(reference);
          for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(roundToBf16(reference[i]))) {
              throw new AssertionError(
                  tensor.name() + " row " + (row + i / tensor.rowLength()) + " value " + i
                      + ": bf16 " + actual[i] + " but fp32 " + reference[i] + " rounds to "
                      + roundToBf16(reference[i]));
            }
          }
          compared += actual.length;
        }
      }
    }
    assertThat(compared).isEqualTo(260_032);
  }
}
