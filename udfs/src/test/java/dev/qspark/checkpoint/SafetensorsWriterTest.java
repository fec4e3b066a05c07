package dev.qspark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path folder;

    @Test
    void roundTripSortsNamesAndAlignsData() throws IOException {
        Path file = folder.resolve("model.safetensors");
        byte[] floats = littleEndianFloats(1.5f, -2.0f, 3.25f, 0.0f, 7.0f, -0.5f);
        byte[] longs = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(1).putLong(2).array();
        byte[] bf16 = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06};

        new SafetensorsWriter(file)
                .metadata("format", "pt")
                .add("z.weight", "F32", new long[] {2, 3}, floats)
                .add("embeddings.position_ids", "I64", new long[] {1, 3}, longs)
                .add("a.bias", "BF16", new long[] {3}, out -> out.write(bf16))
                .write();

        DecodedSafetensors read = DecodedSafetensors.read(file);
        assertThat((8 + read.headerLength) % 8).isZero();
        assertThat(read.headerText).startsWith("{\"__metadata__\":{\"format\":\"pt\"}");
        assertThat(read.headerText.stripTrailing()).endsWith("}");
        assertThat(read.header.get("__metadata__").get("format").asText()).isEqualTo("pt");
        assertThat(read.tensorNames()).containsExactly("a.bias", "embeddings.position_ids", "z.weight");

        assertThat(read.dtype("a.bias")).isEqualTo("BF16");
        assertThat(read.shape("a.bias")).containsExactly(3);
        assertThat(read.dataOffsets("a.bias")).containsExactly(0, 6);
        assertThat(read.dataOffsets("embeddings.position_ids")).containsExactly(6, 30);
        assertThat(read.dataOffsets("z.weight")).containsExactly(30, 54);
        assertThat(read.bytes).hasSize(Math.toIntExact(8 + read.headerLength + 54));

        assertThat(read.data("a.bias").array()).isEqualTo(bf16);
        assertThat(read.data("embeddings.position_ids").array()).isEqualTo(longs);
        assertThat(read.data("z.weight").array()).isEqualTo(floats);
        assertThat(read.shape("z.weight")).containsExactly(2, 3);
    }

    @Test
    void headerWithoutMetadataHasOnlyTensors() throws IOException {
        Path file = folder.resolve("plain.safetensors");
        new SafetensorsWriter(file).add("w", "U8", new long[] {0}, new byte[0]).write();

        DecodedSafetensors read = DecodedSafetensors.read(file);
        assertThat(read.header.has("__metadata__")).isFalse();
        assertThat(read.tensorNames()).containsExactly("w");
        assertThat(read.dataOffsets("w")).containsExactly(0, 0);
    }

    @Test
    void byteLengthMismatchIsRejected() {
        SafetensorsWriter writer = new SafetensorsWriter(folder.resolve("bad.safetensors"));
        assertThatThrownBy(() -> writer.add("w", "F32", new long[] {2, 2}, new byte[15]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("w")
                .hasMessageContaining("needs 16 bytes but 15 were given");
    }

    @Test
    void unknownDtypeIsRejected() {
        SafetensorsWriter writer = new SafetensorsWriter(folder.resolve("bad.safetensors"));
        assertThatThrownBy(() -> writer.add("w", "F17", new long[] {1}, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported dtype 'F17'")
                .hasMessageContaining("BF16");
    }

    @Test
    void duplicateNameIsRejected() {
        SafetensorsWriter writer = new SafetensorsWriter(folder.resolve("bad.safetensors"))
                .add("w", "U8", new long[] {1}, new byte[1]);
        assertThatThrownBy(() -> writer.add("w", "U8", new long[] {1}, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already added");
    }

    @Test
    void shortSourceLeavesNoFile() throws IOException {
        Path file = folder.resolve("short.safetensors");
        SafetensorsWriter writer = new SafetensorsWriter(file)
                .add("a", "U8", new long[] {2}, new byte[2])
                .add("b", "F32", new long[] {4}, out -> out.write(new byte[12]));

        assertThatThrownBy(writer::write)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tensor b wrote 12 bytes but F32 shape [4] needs 16");
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void failingSourceKeepsPreviousFile() throws IOException {
        Path file = folder.resolve("model.safetensors");
        new SafetensorsWriter(file).add("old", "U8", new long[] {1}, new byte[] {9}).write();
        byte[] before = Files.readAllBytes(file);

        SafetensorsWriter failing = new SafetensorsWriter(file).add("new", "U8", new long[] {1}, out -> {
            throw new IOException("disk full");
        });

        assertThatThrownBy(failing::write).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void byteBufferSourceIsNotConsumed() throws IOException {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3, 4}).position(2);
        new SafetensorsWriter(folder.resolve("slice.safetensors")).add("s", "I16", new long[] {1}, data).write();

        assertThat(data.position()).isEqualTo(2);
        DecodedSafetensors read = DecodedSafetensors.read(folder.resolve("slice.safetensors"));
        assertThat(read.data("s").array()).containsExactly(3, 4);
        assertThat(read.tensorNames()).containsExactly("s");
    }

    private static byte[] littleEndianFloats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }
}
