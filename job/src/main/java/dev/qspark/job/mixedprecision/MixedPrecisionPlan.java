package dev.qspark.job.mixedprecision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A mixed-precision plan: one config per module, with the expected size and SQNR.
 *
 * <p>Its JSON form, {@code plan.json}, contains {@code module_fqn_to_config}: module FQNs such as
 * {@code model.layers.0.self_attn.q_proj} mapped to a canonical config in torchao's constructor
 * syntax, or null for a module left unquantized. That is the dict torchao's {@code ModuleFqnToConfig}
 * takes once each string is evaluated to a config.
 *
 * @param exact false when the size budget was met with rounded costs, so a slightly better plan may exist
 */
public record MixedPrecisionPlan(
    PlanObjective objective,
    PlanBudget budget,
    List<Assignment> assignments,
    PlanScore expected,
    List<Baseline> baselines,
    boolean exact) {

  public static final String FORMAT = "qspark-mixed-precision-plan";
  public static final int FORMAT_VERSION = 1;

  /** The option chosen for one tensor and its module's FQN. */
  public record Assignment(String tensor, String moduleFqn, PlanOption option) {}

  /**
   * One config of the sweep applied to every planned tensor, for comparison with the plan.
   *
   * @param coversPlan whether the config quantized every tensor that some config quantized
   * @param withinBudget whether it covers the plan and fits the budget
   */
  public record Baseline(String configId, String config, boolean coversPlan, PlanScore score, boolean withinBudget) {}

  /** Returns the module FQN to canonical config mapping in tensor order, with null for unquantized modules. */
  public Map<String, String> moduleFqnToConfig() {
    Map<String, String> mapping = new LinkedHashMap<>();
    for (Assignment assignment : assignments) {
      mapping.put(assignment.moduleFqn(), assignment.option().config());
    }
    return mapping;
  }

  /** Writes {@code plan.json} through Hadoop's file system, replacing an existing file. */
  public void write(Path path, Configuration conf, String sweepDir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("format", FORMAT).put("format_version", FORMAT_VERSION).put("sweep", sweepDir);
    root.put("objective", objective.label());

    root.putObject("budget").put(budget.kind().column(), budget.value());
    scoreNode(root.putObject("expected"), expected).put("exact", exact);
    root.put("usage", "quantize_(model, ModuleFqnToConfig({fqn: eval(config) for fqn, config in"
        + " module_fqn_to_config.items() if config is not None})) with torchao's config classes imported;"
        + " qspark quantize --plan applies the same mapping");

    ObjectNode mapping = root.putObject("module_fqn_to_config");
    moduleFqnToConfig().forEach(mapping::put);

    ArrayNode modules = root.putArray("modules");
    for (Assignment assignment : assignments) {
      PlanOption option = assignment.option();
      ObjectNode module = modules.addObject().put("module", assignment.moduleFqn()).put("tensor", assignment.tensor())
          .put("config_id", option.configId()).put("config", option.config()).put("elements", option.elements())
          .put("stored_bytes", option.storedBytes()).put("nominal_bits_per_weight", option.nominalBitsPerWeight());
      putDouble(module, "sqnr_db", option.isQuantized() ? option.sqnrDb() : Double.NaN);
    }

    ArrayNode baselineNodes = root.putArray("single_config_baselines");
    for (Baseline baseline : baselines) {
      ObjectNode node = baselineNodes.addObject().put("config_id", baseline.configId())
          .put("config", baseline.config()).put("covers_plan", baseline.coversPlan())
          .put("within_budget", baseline.withinBudget());
      scoreNode(node, baseline.score());
    }

    FileSystem fs = path.getFileSystem(conf);
    try (OutputStream out = fs.create(path, true)) {
      json.writerWithDefaultPrettyPrinter().writeValue(out, root);
    }
  }

  /**
   * Reads the module FQN to config mapping of a {@code plan.json}; a null config means the module
   * stays unquantized.
   *
   * @throws IOException when the file cannot be read or is not a qspark plan
   */
  public static Map<String, String> read(Path path, Configuration conf) throws IOException {
    JsonNode root;
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IOException("Cannot read plan " + path + ": " + e.getMessage(), e);
    }
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IOException("Cannot read plan " + path + ": field format is '" + root.path("format").asText()
          + "'; expected '" + FORMAT + "', as qspark plan writes");
    }
    JsonNode mapping = root.path("module_fqn_to_config");
    if (!mapping.isObject()) {
      throw new IOException("Cannot read plan " + path + ": module_fqn_to_config is missing or not a JSON object");
    }
    Map<String, String> modules = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = mapping.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode config = field.getValue();
      if (!config.isNull() && !config.isTextual()) {
        throw new IOException("Cannot read plan " + path + ": module " + field.getKey() + " maps to " + config
            + "; expected a config string or null");
      }
      modules.put(field.getKey(), config.isNull() ? null : config.asText());
    }
    return modules;
  }

  private static ObjectNode scoreNode(ObjectNode node, PlanScore score) {
    putDouble(node, "nominal_bits_per_weight", score.nominalBitsPerWeight());
    node.put("stored_bytes", score.storedBytes());
    putDouble(node, "min_sqnr_db", score.minSqnrDb());
    putDouble(node, "mean_sqnr_db", score.meanSqnrDb());
    return node;
  }

  /** JSON has no NaN or infinity, so those are written as null. */
  private static void putDouble(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}
