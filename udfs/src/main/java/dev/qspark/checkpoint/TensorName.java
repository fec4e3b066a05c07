package dev.qspark.checkpoint;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tensor name split into its parts under the usual Hugging Face schemes: {@code
 * model.layers.12.self_attn.q_proj.weight} (Llama and most decoders), {@code
 * encoder.layer.3.attention.self.query.weight} (BERT), {@code transformer.h.5.mlp.c_fc.weight}
 * (GPT-2) and {@code blocks.N} / {@code block.N} containers.
 *
 * @param name the full tensor name
 * @param layer the number of the first numbered layer container, or null outside numbered layers
 * @param module the module inside the layer ({@code self_attn.q_proj}), or the full module path
 *     outside layers ({@code model.embed_tokens}); empty for a parameter of the layer itself
 * @param moduleType the last module segment ({@code q_proj}), extended by its parents while it is
 *     generic, so reports group by it without mixing different layers: BERT's {@code
 *     attention.output.dense} and {@code output.dense}, GPT-2's {@code attn.c_proj} and {@code
 *     mlp.c_proj}
 * @param parameter the last segment of the name, such as {@code weight} or {@code bias}
 */
public record TensorName(
    String name, Integer layer, String module, String moduleType, String parameter) {

  private static final Pattern NUMBERED_LAYER =
      Pattern.compile("^(?:.*?\\.)?(?:layers|layer|h|blocks|block)\\.(\\d+)\\.(.+)$");

  // Segments too generic to name a module type alone. A numeric segment, an index into a container
  // such as nn.Sequential or a list of experts, counts as generic too.
  private static final Set<String> GENERIC_SEGMENTS =
      Set.of("dense", "c_proj", "proj", "linear", "output", "out", "fc");

  public static TensorName parse(String name) {
    int lastDot = name.lastIndexOf('.');
    String parameter = lastDot < 0 ? name : name.substring(lastDot + 1);

    Matcher matcher = NUMBERED_LAYER.matcher(name);
    if (matcher.matches() && matcher.group(1).length() <= 9) {
      int layer = Integer.parseInt(matcher.group(1));
      String rest = matcher.group(2);
      int restDot = rest.lastIndexOf('.');
      String module = restDot < 0 ? "" : rest.substring(0, restDot);
      return new TensorName(name, layer, module, moduleType(module), parameter);
    }
    String module = lastDot < 0 ? name : name.substring(0, lastDot);
    return new TensorName(name, null, module, moduleType(module), parameter);
  }

  private static String moduleType(String module) {
    if (module.isEmpty()) {
      return "";
    }
    String[] segments = module.split("\\.");
    int first = segments.length - 1;
    while (first > 0 && isGeneric(segments[first])) {
      first--;
    }
    return String.join(".", Arrays.copyOfRange(segments, first, segments.length));
  }

  private static boolean isGeneric(String segment) {
    return GENERIC_SEGMENTS.contains(segment) || segment.chars().allMatch(Character::isDigit);
  }
}
