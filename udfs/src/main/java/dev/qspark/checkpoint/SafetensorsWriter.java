package dev.qspark.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writer of one safetensors file: an 8-byte little-endian header length, a JSON header, then the
 * tensor data.
 *
 * <p>The header lists the optional {@code __metadata__} object first and then every tensor sorted by
 * name, each with {@code dtype}, {@code shape} and {@code data_offsets} relative to the start of the
 * data section. Tensor data follows in the same order without gaps. The header is padded with spaces
 * so that the data section starts at a multiple of 8 bytes, as the safetensors library does.
 *
 * <p>{@link #write()} writes to a temporary file beside the target and renames it on success, so a
 * failed write leaves no file under the target name.
 *
 * <p>NOTE: sub-byte dtypes (such as F4) and complex dtypes are not accepted.
 */
public final class SafetensorsWriter {

    /** Source of a tensor's bytes, called once while the file is written. */
    @FunctionalInterface
    public interface TensorSource {
        /** Writes exactly the tensor's byte length to {@code out}, little-endian, row-major. */
        void writeTo(OutputStream out) throws IOException;
    }

    private static final Map<String, Integer> ELEMENT_SIZES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1),
            Map.entry("U16", 2), Map.entry("I16", 2), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("U32", 4), Map.entry("I32", 4), Map.entry("F32", 4),
            Map.entry("U64", 8), Map.entry("I64", 8), Map.entry("F64", 8));

    private static final String METADATA_KEY = "__metadata__";
    private static final int ALIGNMENT = 8;

    private record Entry(String dtype, long[] shape, long byteLength, TensorSource source) {}

    private final Path file;
    private final Map<String, Entry> tensors = new TreeMap<>();
    private final Map<String, String> metadata = new TreeMap<>();

    /** Creates a writer for {@code file}; nothing is written before {@link #write()}. */
    public SafetensorsWriter(Path file) {
        this.file = file;
    }

    /** Adds a {@code __metadata__} entry; safetensors allows only string values there. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds a tensor whose bytes are in {@code data} (little-endian, row-major). */
    public SafetensorsWriter add(String name, String dtype, long[] shape, byte[] data) {
        return add(name, dtype, shape, ByteBuffer.wrap(data));
    }

    /** Adds a tensor whose bytes are the remaining bytes of {@code data}; the buffer is not modified. */
    public SafetensorsWriter add(String name, String dtype, long[] shape, ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        long expected = byteLength(name, dtype, shape);
        if (view.remaining() != expected) {
            throw new IllegalArgumentException("Cannot add tensor " + name + " to " + file + ": "
                    + dtype + " shape " + Arrays.toString(shape) + " needs " + expected
                    + " bytes but " + view.remaining() + " were given");
        }
        return add(name, dtype, shape, out -> {
            WritableByteChannel channel = Channels.newChannel(out);
            ByteBuffer remaining = view.duplicate();
            while (remaining.hasRemaining()) {
                channel.write(remaining);
            }
        });
    }

    /**
     * Adds a tensor whose bytes come from {@code source} while the file is written. The writer checks
     * that the source writes exactly {@code element size x product(shape)} bytes.
     */
    public SafetensorsWriter add(String name, String dtype, long[] shape, TensorSource source) {
        if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
            throw new IllegalArgumentException("Cannot add tensor to " + file + ": invalid tensor name '"
                    + name + "'; a name must be non-empty and not " + METADATA_KEY);
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("Cannot add tensor " + name + " to " + file
                    + ": a tensor with this name was already added");
        }
        long length = byteLength(name, dtype, shape);
        tensors.put(name, new Entry(dtype, shape.clone(), length, source));
        return this;
    }

    /** Returns the number of tensors added so far. */
    public int size() {
        return tensors.size();
    }

    /**
     * Writes the file: header and data go to a temporary file in the target's folder, which is renamed
     * to the target name once complete. On failure the temporary file is deleted and the error rethrown.
     */
    public void write() throws IOException {
        byte[] header = headerBytes();
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        // Not Files.createTempFile: its owner-only permissions would stay on the renamed file.
        Path temporary = folder.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(
                    Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 20)) {
                ByteBuffer length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                length.putLong(header.length);
                out.write(length.array());
                out.write(header);
                for (Map.Entry<String, Entry> tensor : tensors.entrySet()) {
                    writeTensor(out, tensor.getKey(), tensor.getValue());
                }
            }
            moveIntoPlace(temporary);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    private void writeTensor(OutputStream out, String name, Entry entry) throws IOException {
        CountingStream counting = new CountingStream(out);
        entry.source().writeTo(counting);
        if (counting.count != entry.byteLength()) {
            throw new IllegalStateException("Cannot write " + file + ": the source of tensor " + name
                    + " wrote " + counting.count + " bytes but " + entry.dtype() + " shape "
                    + Arrays.toString(entry.shape()) + " needs " + entry.byteLength());
        }
    }

    private void moveIntoPlace(Path temporary) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private byte[] headerBytes() throws IOException {
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        if (!metadata.isEmpty()) {
            ObjectNode metadataNode = header.putObject(METADATA_KEY);
            metadata.forEach(metadataNode::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> tensor : tensors.entrySet()) {
            Entry entry = tensor.getValue();
            ObjectNode node = header.putObject(tensor.getKey());
            node.put("dtype", entry.dtype());
            ArrayNode shape = node.putArray("shape");
            for (long dimension : entry.shape()) {
                shape.add(dimension);
            }
            node.putArray("data_offsets").add(offset).add(offset + entry.byteLength());
            offset += entry.byteLength();
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] result = Arrays.copyOf(json, padded);
        Arrays.fill(result, json.length, padded, (byte) ' ');
        return result;
    }

    private long byteLength(String name, String dtype, long[] shape) {
        Integer elementSize = ELEMENT_SIZES.get(dtype);
        if (elementSize == null) {
            throw new IllegalArgumentException("Cannot add tensor " + name + " to " + file
                    + ": unsupported dtype '" + dtype + "'; accepted: " + new TreeMap<>(ELEMENT_SIZES).keySet());
        }
        long elements = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("Cannot add tensor " + name + " to " + file
                        + ": shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            elements = Math.multiplyExact(elements, dimension);
        }
        return Math.multiplyExact(elements, (long) elementSize);
    }

    /** Output stream that counts the bytes passed through, so each tensor's length can be checked. */
    private static final class CountingStream extends FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }

        @Override
        public void close() {
            // The underlying file stream belongs to write() and stays open for the next tensor.
        }
    }
}
