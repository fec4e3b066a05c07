package dev.qspark.checkpoint.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/** Builder of ONNX protobuf bytes for tests, field by field as onnx.proto numbers them. */
final class OnnxBytes {

    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int FLOAT16 = 10;

    private OnnxBytes() {}

    /** ModelProto with ir_version 8, producer "test" and the graph. */
    static byte[] model(byte[] graph) {
        return message(out -> {
            out.writeInt64(1, 8);
            out.writeString(2, "test");
            out.writeByteArray(7, graph);
        });
    }

    static byte[] graph(List<byte[]> nodes, List<byte[]> initializers) {
        return message(out -> {
            for (byte[] node : nodes) {
                out.writeByteArray(1, node);
            }
            out.writeString(2, "test-graph");
            for (byte[] initializer : initializers) {
                out.writeByteArray(5, initializer);
            }
        });
    }

    static byte[] node(String name, String opType, List<String> inputs, List<String> outputs) {
        return node(name, opType, inputs, outputs, Map.of());
    }

    static byte[] node(String name, String opType, List<String> inputs, List<String> outputs,
            Map<String, Long> intAttributes) {
        return message(out -> {
            for (String input : inputs) {
                out.writeString(1, input);
            }
            for (String output : outputs) {
                out.writeString(2, output);
            }
            out.writeString(3, name);
            out.writeString(4, opType);
            for (Map.Entry<String, Long> attribute : intAttributes.entrySet()) {
                out.writeByteArray(5, message(a -> {
                    a.writeString(1, attribute.getKey());
                    a.writeInt64(3, attribute.getValue());
                    a.writeInt32(20, 2); // AttributeType INT
                }));
            }
        });
    }

    /** TensorProto with raw_data; dims are written unpacked, one tag each. */
    static byte[] rawTensor(String name, int dataType, long[] dims, byte[] raw) {
        return message(out -> {
            for (long dim : dims) {
                out.writeInt64(1, dim);
            }
            out.writeInt32(2, dataType);
            out.writeString(8, name);
            out.writeByteArray(9, raw);
        });
    }

    /** FLOAT TensorProto with packed float_data and packed dims. */
    static byte[] floatTensor(String name, long[] dims, float... values) {
        return message(out -> {
            out.writeByteArray(1, packedVarints(dims));
            out.writeInt32(2, FLOAT);
            out.writeByteArray(4, message(p -> {
                for (float value : values) {
                    p.writeFloatNoTag(value);
                }
            }));
            out.writeString(8, name);
        });
    }

    /** INT64 TensorProto with packed int64_data. */
    static byte[] int64Tensor(String name, long[] dims, long... values) {
        return message(out -> {
            out.writeByteArray(1, packedVarints(dims));
            out.writeInt32(2, INT64);
            out.writeByteArray(7, packedVarints(values));
            out.writeString(8, name);
        });
    }

    /** TensorProto of an int32_data type with one unpacked tag per value. */
    static byte[] int32DataTensor(String name, int dataType, long[] dims, int... values) {
        return message(out -> {
            out.writeByteArray(1, packedVarints(dims));
            out.writeInt32(2, dataType);
            for (int value : values) {
                out.writeInt32(5, value);
            }
            out.writeString(8, name);
        });
    }

    /** FLOAT TensorProto whose data_location marks its data as external. */
    static byte[] externalTensor(String name, long[] dims) {
        return message(out -> {
            out.writeByteArray(1, packedVarints(dims));
            out.writeInt32(2, FLOAT);
            out.writeString(8, name);
            out.writeByteArray(13, message(entry -> {
                entry.writeString(1, "location");
                entry.writeString(2, "weights.bin");
            }));
            out.writeInt32(14, 1);
        });
    }

    static byte[] littleEndianFloats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    private static byte[] packedVarints(long[] values) {
        return message(out -> {
            for (long value : values) {
                out.writeInt64NoTag(value);
            }
        });
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
