package dev.qspark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorNameTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        // Llama and most decoders
        "model.layers.12.self_attn.q_proj.weight|12|self_attn.q_proj|q_proj|weight",
        "model.layers.0.mlp.down_proj.weight|0|mlp.down_proj|down_proj|weight",
        "model.layers.3.input_layernorm.weight|3|input_layernorm|input_layernorm|weight",
        // BERT
        "encoder.layer.3.attention.self.query.weight|3|attention.self.query|query|weight",
        "encoder.layer.3.attention.output.dense.bias|3|attention.output.dense|attention.output.dense|bias",
        "encoder.layer.3.intermediate.dense.weight|3|intermediate.dense|intermediate.dense|weight",
        "encoder.layer.3.output.dense.weight|3|output.dense|output.dense|weight",
        // GPT-2
        "transformer.h.5.mlp.c_fc.weight|5|mlp.c_fc|c_fc|weight",
        "transformer.h.5.mlp.c_proj.weight|5|mlp.c_proj|mlp.c_proj|weight",
        "transformer.h.5.attn.c_proj.weight|5|attn.c_proj|attn.c_proj|weight",
        "h.11.ln_1.bias|11|ln_1|ln_1|bias",
        // Mixture of experts: the first numbered container is the layer
        "model.layers.2.block_sparse_moe.experts.7.w1.weight|2|block_sparse_moe.experts.7.w1|w1|weight",
        // Outside numbered layers
        "model.embed_tokens.weight|null|model.embed_tokens|embed_tokens|weight",
        "lm_head.weight|null|lm_head|lm_head|weight",
        "model.norm.weight|null|model.norm|norm|weight",
        "transformer.ln_f.bias|null|transformer.ln_f|ln_f|bias",
        "bert.pooler.dense.weight|null|bert.pooler.dense|pooler.dense|weight",
        "position_ids|null|position_ids|position_ids|position_ids",
        // A number that is not a layer index of a known container
        "model.experts.3.weight|null|model.experts.3|experts.3|weight"
      })
  void parsesSchemes(String name, Integer layer, String module, String moduleType, String parameter) {
    TensorName parsed = TensorName.parse(name);

    assertThat(parsed.name()).isEqualTo(name);
    assertThat(parsed.layer()).isEqualTo(layer);
    assertThat(parsed.module()).isEqualTo(module);
    assertThat(parsed.moduleType()).isEqualTo(moduleType);
    assertThat(parsed.parameter()).isEqualTo(parameter);
  }
}
