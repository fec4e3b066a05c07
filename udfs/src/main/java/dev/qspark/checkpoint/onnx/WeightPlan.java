package dev.qspark.checkpoint.onnx;

/**
 * Target name and layout of one ONNX initializer in the safetensors output.
 *
 * @param sourceName the initializer name in the ONNX file
 * @param targetName the tensor name in the safetensors file
 * @param transpose whether the 2-D tensor is written transposed, from ONNX MatMul's {@code [in, out]}
 *     to PyTorch Linear's {@code [out, in]}
 */
public record WeightPlan(String sourceName, String targetName, boolean transpose) {}
