package dev.qspark.job.plan;

import dev.qspark.kernels.config.QuantConfig;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The config a mixed-precision plan assigns to each module, as {@code qspark plan} writes it in
 * {@code module_fqn_to_config}. A module is a tensor name without its last segment, so
 * {@code model.layers.0.self_attn.q_proj.weight} belongs to {@code model.layers.0.self_attn.q_proj}.
 * Driver only.
 *
 * @param moduleToConfig module FQN to its parsed config, or to null where the plan leaves it unquantized
 */
public record ModuleConfigPlan(Map<String, QuantConfig> moduleToConfig) implements Serializable {

  public ModuleConfigPlan {
    moduleToConfig = new LinkedHashMap<>(moduleToConfig);
  }

  /** Returns the module FQN of a tensor: its name without the last dot-separated segment. */
  public static String moduleOf(String tensorName) {
    int lastDot = tensorName.lastIndexOf('.');
    return lastDot < 0 ? tensorName : tensorName.substring(0, lastDot);
  }

  /**
   * Returns why a target tensor is kept under {@code config}, or null when the plan assigns that config
   * to the tensor's module.
   */
  public String keepReason(String tensorName, QuantConfig config) {
    String module = moduleOf(tensorName);
    if (!moduleToConfig.containsKey(module)) {
      return "the plan does not name module " + module;
    }
    QuantConfig assigned = moduleToConfig.get(module);
    if (assigned == null) {
      return "the plan leaves module " + module + " unquantized";
    }
    return Objects.equals(assigned, config) ? null : "the plan assigns module " + module + " another config";
  }
}
