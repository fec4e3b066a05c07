package dev.qspark.checkpoint.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reader of the graph nodes and initializers of an ONNX model file ({@code ModelProto}).
 *
 * <p>The file is memory-mapped and decoded field by field with protobuf's {@link CodedInputStream},
 * so {@code raw_data} tensors stay views of the mapping and are never copied. Only these fields are
 * read: ModelProto.graph (7); GraphProto.node (1) and initializer (5); NodeProto input (1), output (2),
 * name (3), op_type (4) and attribute (5); TensorProto dims (1), data_type (2), float_data (4),
 * int32_data (5), int64_data (7), name (8), raw_data (9), double_data (10) and uint64_data (11).
 * Other fields are skipped.
 *
 * <p>NOTE: tensors with external data, segments or string data and sparse initializers are rejected
 * with an {@link IllegalArgumentException}; subgraphs inside node attributes are not read.
 */
public final class OnnxModelReader {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_INT = 3;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_SEGMENT = 3;
    private static final int TENSOR_STRING_DATA = 6;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int DATA_LOCATION_EXTERNAL = 1;

    private final Path file;
    private final MappedByteBuffer mapping;

    private OnnxModelReader(Path file, MappedByteBuffer mapping) {
        this.file = file;
        this.mapping = mapping;
    }

    /**
     * Reads the main graph of the ONNX model in {@code file}.
     *
     * @throws FileNotFoundException when the file does not exist
     * @throws IllegalArgumentException when the file is not a valid ONNX model or uses a feature listed
     *     as unsupported above
     */
    public static OnnxGraph read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new FileNotFoundException("Cannot read " + file + ": file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Cannot read " + file + ": not a regular file; expected an .onnx model file");
        }
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Cannot read " + file + ": the file has " + size
                    + " bytes, more than protobuf's 2 GiB limit; such models keep weights as external data,"
                    + " which is not supported");
        }
        MappedByteBuffer mapping;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        try {
            return new OnnxModelReader(file, mapping).readModel();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": not a valid ONNX protobuf file ("
                    + e.getMessage() + ")", e);
        }
    }

    private OnnxGraph readModel() throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(mapping);
        in.setSizeLimit(Integer.MAX_VALUE);
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensor> initializers = new ArrayList<>();
        boolean graphFound = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (isMessage(tag, MODEL_GRAPH)) {
                int limit = in.pushLimit(in.readRawVarint32());
                readGraph(in, nodes, initializers);
                in.popLimit(limit);
                graphFound = true;
            } else {
                in.skipField(tag);
            }
        }
        if (!graphFound) {
            throw new IllegalArgumentException("Cannot read " + file
                    + ": no graph found (ModelProto field 7); expected an ONNX model file");
        }
        return new OnnxGraph(file, List.copyOf(nodes), List.copyOf(initializers));
    }

    private void readGraph(CodedInputStream in, List<OnnxNode> nodes, List<OnnxTensor> initializers)
            throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (isMessage(tag, GRAPH_NODE)) {
                int limit = in.pushLimit(in.readRawVarint32());
                nodes.add(readNode(in));
                in.popLimit(limit);
            } else if (isMessage(tag, GRAPH_INITIALIZER)) {
                int limit = in.pushLimit(in.readRawVarint32());
                initializers.add(readTensor(in));
                in.popLimit(limit);
            } else if (WireFormat.getTagFieldNumber(tag) == GRAPH_SPARSE_INITIALIZER) {
                throw new IllegalArgumentException("Cannot read " + file
                        + ": the graph has sparse initializers, which are not supported");
            } else {
                in.skipField(tag);
            }
        }
    }

    private static OnnxNode readNode(CodedInputStream in) throws IOException {
        String name = "";
        String opType = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Long> intAttributes = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE_INPUT -> inputs.add(in.readString());
                case NODE_OUTPUT -> outputs.add(in.readString());
                case NODE_NAME -> name = in.readString();
                case NODE_OP_TYPE -> opType = in.readString();
                case NODE_ATTRIBUTE -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    readIntAttribute(in, intAttributes);
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
        return new OnnxNode(name, opType, List.copyOf(inputs), List.copyOf(outputs), Map.copyOf(intAttributes));
    }

    private static void readIntAttribute(CodedInputStream in, Map<String, Long> intAttributes) throws IOException {
        String name = null;
        Long value = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == ATTRIBUTE_NAME) {
                name = in.readString();
            } else if (field == ATTRIBUTE_INT && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                value = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        if (name != null && value != null) {
            intAttributes.put(name, value);
        }
    }

    private OnnxTensor readTensor(CodedInputStream in) throws IOException {
        TensorFields fields = new TensorFields();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            switch (field) {
                case TENSOR_DIMS -> readVarints(in, tag, fields.dims);
                case TENSOR_DATA_TYPE -> fields.dataTypeCode = in.readInt32();
                case TENSOR_NAME -> fields.name = in.readString();
                case TENSOR_RAW_DATA -> {
                    int length = in.readRawVarint32();
                    fields.rawDataOffset = in.getTotalBytesRead();
                    fields.rawDataLength = length;
                    in.skipRawBytes(length);
                }
                case TENSOR_SEGMENT -> {
                    fields.unsupported = "a segment (TensorProto.segment)";
                    in.skipField(tag);
                }
                case TENSOR_STRING_DATA -> {
                    fields.unsupported = "string data";
                    in.skipField(tag);
                }
                case TENSOR_EXTERNAL_DATA -> {
                    fields.external = true;
                    in.skipField(tag);
                }
                case TENSOR_DATA_LOCATION -> fields.external |= in.readInt32() == DATA_LOCATION_EXTERNAL;
                default -> {
                    OnnxDataType.TypedField typed = typedField(field);
                    if (typed == null) {
                        in.skipField(tag);
                    } else {
                        fields.typedFields.add(typed);
                        readTypedValues(in, tag, typed, fields.typedValues);
                    }
                }
            }
        }
        return fields.toTensor(this);
    }

    private String context() {
        return "Cannot read " + file;
    }

    private static OnnxDataType.TypedField typedField(int fieldNumber) {
        for (OnnxDataType.TypedField typed : OnnxDataType.TypedField.values()) {
            if (typed.fieldNumber() == fieldNumber) {
                return typed;
            }
        }
        return null;
    }

    private static boolean isMessage(int tag, int fieldNumber) {
        return WireFormat.getTagFieldNumber(tag) == fieldNumber
                && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /** Reads one varint element or, for a length-delimited tag, a packed run of them. */
    private static void readVarints(CodedInputStream in, int tag, LongList values) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                values.add(in.readInt64());
            }
            in.popLimit(limit);
        } else {
            values.add(in.readInt64());
        }
    }

    /**
     * Reads typed values, packed or one per tag, as bit patterns: float32 bits for float_data, float64
     * bits for double_data and the integer itself for the varint fields.
     */
    private static void readTypedValues(CodedInputStream in, int tag, OnnxDataType.TypedField typed, LongList values)
            throws IOException {
        boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
        int limit = packed ? in.pushLimit(in.readRawVarint32()) : -1;
        do {
            switch (typed) {
                case FLOAT_DATA -> values.add(in.readRawLittleEndian32() & 0xffff_ffffL);
                case DOUBLE_DATA -> values.add(in.readRawLittleEndian64());
                default -> values.add(in.readRawVarint64());
            }
        } while (packed && in.getBytesUntilLimit() > 0);
        if (packed) {
            in.popLimit(limit);
        }
    }

    /** The fields of one TensorProto while it is decoded. */
    private static final class TensorFields {
        final LongList dims = new LongList();
        final LongList typedValues = new LongList();
        String name = "";
        int dataTypeCode;
        int rawDataOffset = -1;
        int rawDataLength;
        final Set<OnnxDataType.TypedField> typedFields = EnumSet.noneOf(OnnxDataType.TypedField.class);
        boolean external;
        String unsupported;

        OnnxTensor toTensor(OnnxModelReader reader) {
            String where = reader.context() + ": initializer '" + name + "'";
            if (name.isEmpty()) {
                throw new IllegalArgumentException(reader.context() + ": an initializer has no name");
            }
            if (external) {
                throw new IllegalArgumentException(where + " keeps its data in an external file"
                        + " (data_location EXTERNAL); external data is not supported, save the model with"
                        + " all tensors inside the .onnx file");
            }
            if (unsupported != null) {
                throw new IllegalArgumentException(where + " has " + unsupported + ", which is not supported");
            }

            OnnxDataType type = OnnxDataType.fromCode(dataTypeCode, where);
            long[] shape = dims.toArray();
            for (long dim : shape) {
                if (dim < 0) {
                    throw new IllegalArgumentException(where + " has negative dims " + Arrays.toString(shape));
                }
            }

            long count = OnnxTensor.elementCount(shape);
            long expectedBytes = Math.multiplyExact(count, (long) type.elementSize());
            if (rawDataOffset >= 0) {
                if (rawDataLength != expectedBytes) {
                    throw new IllegalArgumentException(where + " has " + type + " dims " + Arrays.toString(shape)
                            + " (" + count + " elements, " + expectedBytes + " bytes) but raw_data holds "
                            + rawDataLength + " bytes");
                }
                ByteBuffer data = reader.mapping.slice(rawDataOffset, rawDataLength).order(ByteOrder.LITTLE_ENDIAN);
                return new OnnxTensor(name, type, shape, data);
            }

            String typedFieldName = type.typedField().name().toLowerCase(Locale.ROOT);
            if (!typedFields.isEmpty() && !typedFields.equals(EnumSet.of(type.typedField()))) {
                throw new IllegalArgumentException(where + " has data_type " + type + " but values in "
                        + typedFields.toString().toLowerCase(Locale.ROOT) + "; expected raw_data or " + typedFieldName);
            }
            if (typedValues.size() != count) {
                String found = typedFields.isEmpty() ? "no data" : typedValues.size() + " values in " + typedFieldName;
                throw new IllegalArgumentException(where + " has " + type + " dims " + Arrays.toString(shape)
                        + " (" + count + " elements) but " + found);
            }
            return new OnnxTensor(name, type, shape, packTypedValues(type));
        }

        /** Keeps the low {@code elementSize} bytes of each value, little-endian, as raw_data would hold them. */
        private ByteBuffer packTypedValues(OnnxDataType type) {
            int elementSize = type.elementSize();
            ByteBuffer data = ByteBuffer.allocate(Math.toIntExact((long) typedValues.size() * elementSize))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < typedValues.size(); i++) {
                long value = typedValues.get(i);
                for (int b = 0; b < elementSize; b++) {
                    data.put((byte) (value >>> (8 * b)));
                }
            }
            return data.flip();
        }
    }

    /** Growable list of primitive longs, so typed data does not box every element. */
    private static final class LongList {
        private long[] values = new long[8];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.multiplyExact(values.length, 2));
            }
            values[size++] = value;
        }

        long get(int index) {
            return values[index];
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
