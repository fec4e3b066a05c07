package dev.qspark.checkpoint.onnx;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Planner of the Hugging Face names and layouts that ONNX initializers are written under.
 *
 * <p>PyTorch's ONNX exporter keeps parameter names such as {@code embeddings.word_embeddings.weight}
 * where it uses a parameter as is, and these names are kept. A Linear weight is transposed into a new
 * initializer with a generated name such as {@code onnx::MatMul_1234} in {@code [in, out]} layout,
 * used as input B of a MatMul node named after the module path, such as
 * {@code /encoder/layer.0/attention/self/query/MatMul}. Such weights are transposed back to
 * {@code [out, in]} and named {@code <module>.weight}. A generated initializer added to that MatMul's
 * output by an Add node becomes {@code <module>.bias}. Generated initializers used as Gemm B and C,
 * LayerNormalization scale and bias, or a Gather table are named after their node's module the same way.
 *
 * <p>NOTE: a generated initializer whose node name is not a module path (such as {@code MatMul_12})
 * keeps its ONNX name; a MatMul weight among them is still transposed.
 */
public final class OnnxWeightNaming {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxWeightNaming.class);

    /** A parameter path as PyTorch's {@code named_parameters()} writes it: dotted identifiers. */
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)+");
    private static final Pattern MODULE_SEGMENT = Pattern.compile("[A-Za-z0-9_.]+");

    private final OnnxGraph graph;
    private final Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
    private final Map<String, String> targetNames = new HashMap<>();
    private final Map<String, Boolean> transposed = new HashMap<>();

    private OnnxWeightNaming(OnnxGraph graph) {
        this.graph = graph;
        for (OnnxTensor tensor : graph.initializers()) {
            if (initializers.put(tensor.name(), tensor) != null) {
                throw new IllegalArgumentException("Cannot import " + graph.file() + ": initializer name '"
                        + tensor.name() + "' appears twice");
            }
        }
    }

    /**
     * Returns the plan for every initializer of {@code graph}, in initializer order.
     *
     * @throws IllegalArgumentException when two initializers would get the same target name
     */
    public static Map<String, WeightPlan> plan(OnnxGraph graph) {
        return new OnnxWeightNaming(graph).plan();
    }

    /** Returns whether {@code name} is a PyTorch parameter path rather than a name the exporter generated. */
    static boolean isParameterName(String name) {
        return PARAMETER_NAME.matcher(name).matches();
    }

    /**
     * Returns the module path of a node named like {@code /encoder/layer.0/attention/self/query/MatMul}
     * ({@code encoder.layer.0.attention.self.query}), or null when the name is not such a path.
     */
    static String modulePath(String nodeName) {
        if (!nodeName.startsWith("/")) {
            return null;
        }
        String[] segments = nodeName.substring(1).split("/", -1);
        if (segments.length < 2) {
            return null;
        }
        List<String> module = List.of(segments).subList(0, segments.length - 1);
        for (String segment : module) {
            if (!MODULE_SEGMENT.matcher(segment).matches()) {
                return null;
            }
        }
        return String.join(".", module);
    }

    private Map<String, WeightPlan> plan() {
        Map<String, String> linearOutputs = new HashMap<>();
        for (OnnxNode node : graph.nodes()) {
            switch (node.opType()) {
                case "MatMul" -> {
                    String module = nameLinearWeight(node, node.input(1), true);
                    if (module != null && !node.outputs().isEmpty()) {
                        linearOutputs.put(node.outputs().get(0), module);
                    }
                }
                case "Gemm" -> {
                    boolean transB = node.intAttributes().getOrDefault("transB", 0L) != 0;
                    nameLinearWeight(node, node.input(1), !transB);
                    assign(node.input(2), modulePath(node.name()), "bias");
                }
                case "LayerNormalization" -> {
                    assign(node.input(1), modulePath(node.name()), "weight");
                    assign(node.input(2), modulePath(node.name()), "bias");
                }
                case "Gather" -> assign(node.input(0), modulePath(node.name()), "weight");
                default -> { }
            }
        }
        for (OnnxNode node : graph.nodes()) {
            if (node.opType().equals("Add") && node.inputs().size() == 2) {
                nameBias(linearOutputs, node.input(0), node.input(1));
                nameBias(linearOutputs, node.input(1), node.input(0));
            }
        }
        return collectPlans();
    }

    /**
     * Names a generated 2-D weight used as a MatMul or Gemm B input and marks it for transposition
     * when it is in {@code [in, out]} layout. Returns the module path, or null when the input is not
     * such a weight or the node name gives no module.
     */
    private String nameLinearWeight(OnnxNode node, String input, boolean inOutLayout) {
        OnnxTensor weight = generatedInitializer(input);
        if (weight == null || weight.dims().length != 2) {
            return null;
        }
        if (inOutLayout) {
            transposed.put(input, true);
        }
        String module = modulePath(node.name());
        assign(input, module, "weight");
        return module;
    }

    private void nameBias(Map<String, String> linearOutputs, String linearOutput, String bias) {
        String module = linearOutputs.get(linearOutput);
        if (module != null) {
            assign(bias, module, "bias");
        }
    }

    private void assign(String input, String module, String suffix) {
        if (module == null || generatedInitializer(input) == null) {
            return;
        }
        String target = module + "." + suffix;
        String previous = targetNames.putIfAbsent(input, target);
        if (previous != null && !previous.equals(target)) {
            LOG.warn("Initializer {} of {} is used as {} and as {}; writing it as {}",
                    input, graph.file(), previous, target, previous);
        }
    }

    private OnnxTensor generatedInitializer(String input) {
        OnnxTensor tensor = initializers.get(input);
        return tensor == null || isParameterName(input) ? null : tensor;
    }

    private Map<String, WeightPlan> collectPlans() {
        Map<String, WeightPlan> plans = new LinkedHashMap<>();
        Map<String, String> sourceByTarget = new HashMap<>();
        int unmappedCount = 0;
        for (String source : initializers.keySet()) {
            String target = targetNames.getOrDefault(source, source);
            String other = sourceByTarget.putIfAbsent(target, source);
            if (other != null) {
                throw new IllegalArgumentException("Cannot import " + graph.file() + ": initializers '" + other
                        + "' and '" + source + "' would both be written as " + target);
            }
            if (!isParameterName(target)) {
                unmappedCount++;
            }
            plans.put(source, new WeightPlan(source, target, transposed.getOrDefault(source, false)));
        }
        if (unmappedCount > 0) {
            LOG.warn("{} initializers of {} have generated names that no node maps to a module; they keep"
                    + " their ONNX names", unmappedCount, graph.file());
        }
        return plans;
    }
}
