package dev.qspark.checkpoint.onnx;

import java.nio.file.Path;
import java.util.List;

/**
 * The nodes and initializers of an ONNX model's main graph.
 *
 * @param file the file the graph was read from, for error messages
 * @param nodes the nodes in file order
 * @param initializers the initializers in file order
 */
public record OnnxGraph(Path file, List<OnnxNode> nodes, List<OnnxTensor> initializers) {}
