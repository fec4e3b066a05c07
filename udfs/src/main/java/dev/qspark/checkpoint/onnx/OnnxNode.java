package dev.qspark.checkpoint.onnx;

import java.util.List;
import java.util.Map;

/**
 * One node of an ONNX graph, with the parts the importer uses to name weights.
 *
 * @param name the node name, such as {@code /encoder/layer.0/attention/self/query/MatMul}; may be empty
 * @param opType the operator, such as {@code MatMul}
 * @param inputs input value names; an empty string marks an omitted optional input
 * @param outputs output value names
 * @param intAttributes the attributes that carry a single integer, such as Gemm's {@code transB}
 */
public record OnnxNode(
        String name, String opType, List<String> inputs, List<String> outputs, Map<String, Long> intAttributes) {

    /** Returns input {@code index}, or an empty string when the node has fewer inputs. */
    public String input(int index) {
        return index < inputs.size() ? inputs.get(index) : "";
    }
}
