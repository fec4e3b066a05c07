package dev.qspark.checkpoint.onnx;

/** The float format that floating point initializers are written in; integer tensors keep their type. */
public enum TargetDtype {
    BF16("BF16"),
    FP16("F16"),
    FP32("F32");

    private final String safetensorsDtype;

    TargetDtype(String safetensorsDtype) {
        this.safetensorsDtype = safetensorsDtype;
    }

    /** Dtype name in the safetensors header. */
    public String safetensorsDtype() {
        return safetensorsDtype;
    }

    /** Bytes per element. */
    public int elementSize() {
        return this == FP32 ? 4 : 2;
    }
}
