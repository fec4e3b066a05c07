package dev.qspark.checkpoint.onnx;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ONNX {@code TensorProto.DataType} values this importer reads, with the safetensors dtype each
 * one is written as and the typed-data field that may hold its values instead of {@code raw_data}.
 *
 * <p>NOTE: STRING, complex, float8, 4-bit and other types are rejected by {@link #fromCode}.
 */
public enum OnnxDataType {
    FLOAT(1, "F32", 4, true, TypedField.FLOAT_DATA),
    UINT8(2, "U8", 1, false, TypedField.INT32_DATA),
    INT8(3, "I8", 1, false, TypedField.INT32_DATA),
    UINT16(4, "U16", 2, false, TypedField.INT32_DATA),
    INT16(5, "I16", 2, false, TypedField.INT32_DATA),
    INT32(6, "I32", 4, false, TypedField.INT32_DATA),
    INT64(7, "I64", 8, false, TypedField.INT64_DATA),
    BOOL(9, "BOOL", 1, false, TypedField.INT32_DATA),
    FLOAT16(10, "F16", 2, true, TypedField.INT32_DATA),
    DOUBLE(11, "F64", 8, true, TypedField.DOUBLE_DATA),
    UINT32(12, "U32", 4, false, TypedField.UINT64_DATA),
    UINT64(13, "U64", 8, false, TypedField.UINT64_DATA),
    BFLOAT16(16, "BF16", 2, true, TypedField.INT32_DATA);

    /**
     * The repeated TensorProto fields that hold typed values, with their field numbers. Values narrower
     * than the field (int8, float16 bit patterns, uint32...) sit in the low bits of each element.
     */
    public enum TypedField {
        FLOAT_DATA(4),
        INT32_DATA(5),
        INT64_DATA(7),
        DOUBLE_DATA(10),
        UINT64_DATA(11);

        private final int fieldNumber;

        TypedField(int fieldNumber) {
            this.fieldNumber = fieldNumber;
        }

        public int fieldNumber() {
            return fieldNumber;
        }
    }

    private final int code;
    private final String safetensorsDtype;
    private final int elementSize;
    private final boolean floatingPoint;
    private final TypedField typedField;

    OnnxDataType(int code, String safetensorsDtype, int elementSize, boolean floatingPoint, TypedField typedField) {
        this.code = code;
        this.safetensorsDtype = safetensorsDtype;
        this.elementSize = elementSize;
        this.floatingPoint = floatingPoint;
        this.typedField = typedField;
    }

    /**
     * Returns the type with ONNX code {@code code}.
     *
     * @throws IllegalArgumentException for an unsupported or unknown code; {@code context} names the
     *     file and tensor in the message
     */
    public static OnnxDataType fromCode(int code, String context) {
        for (OnnxDataType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        String accepted = Arrays.stream(values())
                .map(type -> type.name() + " (" + type.code + ")")
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(context + ": unsupported ONNX data_type " + code
                + "; supported: " + accepted);
    }

    public int code() {
        return code;
    }

    /** Dtype name in the safetensors header, such as "F32" or "I64". */
    public String safetensorsDtype() {
        return safetensorsDtype;
    }

    /** Bytes per element in {@code raw_data} and in the safetensors data section. */
    public int elementSize() {
        return elementSize;
    }

    /** Returns whether the import converts this type to the chosen float format; integers stay unchanged. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** Returns the typed-data field that contains this type's values when {@code raw_data} is absent. */
    public TypedField typedField() {
        return typedField;
    }
}
