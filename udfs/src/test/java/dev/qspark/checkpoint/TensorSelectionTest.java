package dev.qspark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorSelectionTest {

  private static TensorEntry entry(String name, Dtype dtype, long... shape) {
    long bytes = 1;
    for (long dim : shape) {
      bytes *= dim;
    }
    bytes = bytes * dtype.bits() / 8;
    return new TensorEntry("file:/m.safetensors", name, dtype, shape, 8, 8 + bytes);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "model.layers.0.self_attn.q_proj.weight|BF16|64,64|QUANTIZE|linear weight",
        "model.layers.0.mlp.up_proj.weight|F32|172,64|QUANTIZE|linear weight",
        "model.layers.0.mlp.up_proj.weight|F16|172,64|QUANTIZE|linear weight",
        "encoder.layer.3.attention.self.query.weight|F32|768,768|QUANTIZE|linear weight",
        "transformer.h.5.mlp.c_fc.weight|F32|768,3072|QUANTIZE|linear weight",
        "model.embed_tokens.weight|BF16|512,64|KEEP|embedding",
        "transformer.wte.weight|F32|512,64|KEEP|embedding",
        "lm_head.weight|BF16|512,64|KEEP|output projection",
        "model.norm.weight|BF16|64|KEEP|norm; only 2-D weights are quantized",
        "model.rotary_emb.inv_freq|F32|32|KEEP|1-D tensor; only 2-D weights are quantized",
        "model.layers.0.self_attn.q_proj.bias|BF16|64|KEEP|bias; only 2-D weights are quantized",
        "position_ids|I64|1,512|KEEP|integer tensor (I64)",
        "model.layers.0.mlp.up_proj.weight|F8_E4M3|172,64|KEEP|already low precision (F8_E4M3)",
        "model.layers.0.mlp.up_proj.weight|F64|172,64|KEEP|F64; only F32, BF16 and F16 weights are quantized",
        "model.layers.0.mlp.experts|BF16|8,172,64|KEEP|3-D tensor; only 2-D weights are quantized",
        "model.layers.0.mlp.up_proj.weight|BF16|0,64|KEEP|empty tensor",
        "model.layers.0.attn.rel_pos|BF16|16,16|KEEP|not a weight (rel_pos)",
        "model.layers.0.some_norm.weight|BF16|16,16|KEEP|norm",
        "mask|BOOL|4,4|KEEP|boolean tensor"
      })
  void defaultRules(String name, Dtype dtype, String shape, SelectionDecision.Action action, String reason) {
    long[] dims = java.util.Arrays.stream(shape.split(",")).mapToLong(Long::parseLong).toArray();

    SelectionDecision decision = TensorSelection.defaults().decide(entry(name, dtype, dims));

    assertThat(decision.action()).isEqualTo(action);
    assertThat(decision.reason()).isEqualTo(reason);
  }

  @Test
  void includeReplacesNameRules() {
    TensorSelection selection = TensorSelection.fromOptions("embed_tokens|lm_head", null);

    assertThat(selection.decide(entry("model.embed_tokens.weight", Dtype.BF16, 512, 64)))
        .isEqualTo(SelectionDecision.quantize("matches --include embed_tokens|lm_head"));
    assertThat(selection.decide(entry("model.layers.0.mlp.up_proj.weight", Dtype.BF16, 172, 64)))
        .isEqualTo(SelectionDecision.keep("does not match --include embed_tokens|lm_head"));
  }

  @Test
  void includeCannotSelectUnsupportedTensors() {
    TensorSelection selection = TensorSelection.fromOptions("norm", null);

    assertThat(selection.decide(entry("model.norm.weight", Dtype.BF16, 64)))
        .isEqualTo(SelectionDecision.keep("norm; only 2-D weights are quantized"));
  }

  @Test
  void excludeWinsOverInclude() {
    TensorSelection selection = TensorSelection.fromOptions("proj", "layers\\.0\\.");

    assertThat(selection.decide(entry("model.layers.0.mlp.up_proj.weight", Dtype.BF16, 172, 64)))
        .isEqualTo(SelectionDecision.keep("matches --exclude layers\\.0\\."));
    assertThat(selection.decide(entry("model.layers.1.mlp.up_proj.weight", Dtype.BF16, 172, 64)).isQuantize())
        .isTrue();
  }

  @Test
  void excludeAlone() {
    TensorSelection selection = TensorSelection.fromOptions(null, "down_proj");

    assertThat(selection.decide(entry("model.layers.0.mlp.down_proj.weight", Dtype.BF16, 64, 172)).isQuantize())
        .isFalse();
    assertThat(selection.decide(entry("model.layers.0.mlp.up_proj.weight", Dtype.BF16, 172, 64)).isQuantize())
        .isTrue();
  }

  @Test
  void invalidPattern() {
    assertThatThrownBy(() -> TensorSelection.fromOptions("(", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use --include \"(\": invalid regular expression: Unclosed group at index 1");
  }
}
