package dev.qspark.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Test-side decoding of a safetensors file with Jackson, independent of the writer, so round trips
 * check the writer against the format rather than against itself.
 */
public final class DecodedSafetensors {

    public final byte[] bytes;
    public final long headerLength;
    public final String headerText;
    public final JsonNode header;

    private DecodedSafetensors(byte[] bytes) throws IOException {
        this.bytes = bytes;
        this.headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        this.headerText = new String(bytes, 8, Math.toIntExact(headerLength), StandardCharsets.UTF_8);
        this.header = new ObjectMapper().readTree(headerText);
    }

    public static DecodedSafetensors read(Path file) throws IOException {
        return new DecodedSafetensors(Files.readAllBytes(file));
    }

    /** Tensor names in header order, without {@code __metadata__}. */
    public List<String> tensorNames() {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("__metadata__")) {
                names.add(name);
            }
        }
        return names;
    }

    public String dtype(String name) {
        return tensor(name).get("dtype").asText();
    }

    public long[] shape(String name) {
        JsonNode shape = tensor(name).get("shape");
        long[] result = new long[shape.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = shape.get(i).asLong();
        }
        return result;
    }

    public long[] dataOffsets(String name) {
        JsonNode offsets = tensor(name).get("data_offsets");
        return new long[] {offsets.get(0).asLong(), offsets.get(1).asLong()};
    }

    /** Returns a copy of the tensor's bytes as a little-endian buffer. */
    public ByteBuffer data(String name) {
        long[] offsets = dataOffsets(name);
        int start = Math.toIntExact(8 + headerLength + offsets[0]);
        int end = Math.toIntExact(8 + headerLength + offsets[1]);
        return ByteBuffer.wrap(Arrays.copyOfRange(bytes, start, end)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private JsonNode tensor(String name) {
        JsonNode node = header.get(name);
        if (node == null) {
            throw new AssertionError("no tensor " + name + " in header " + headerText);
        }
        return node;
    }
}
