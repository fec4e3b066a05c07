package dev.qspark.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Builds safetensors bytes by hand for tests: a length prefix, a JSON header and a data section. */
final class SafetensorsFixture {

  private SafetensorsFixture() {}

  /** Returns a file whose length prefix is the real length of {@code headerJson}. */
  static byte[] file(String headerJson, int dataBytes) {
    byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
    return file(header.length, header, new byte[dataBytes]);
  }

  /** Returns a file whose length prefix is {@code declaredLength}, whatever the header's length. */
  static byte[] file(long declaredLength, byte[] header, byte[] data) {
    ByteBuffer buffer =
        ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(declaredLength);
    buffer.put(header);
    buffer.put(data);
    return buffer.array();
  }

  static Path write(Path folder, String name, byte[] bytes) throws IOException {
    Path path = folder.resolve(name);
    Files.createDirectories(path.getParent());
    Files.write(path, bytes);
    return path;
  }

  /** Collects tensors and lays them out back to back, as the safetensors library does. */
  static final class Builder {
    private final List<String> entries = new ArrayList<>();
    private final List<byte[]> data = new ArrayList<>();
    private long offset;

    Builder add(String name, String dtype, long[] shape, byte[] bytes) {
      String dims =
          java.util.Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(","));
      entries.add(
          "\""
              + name
              + "\":{\"dtype\":\""
              + dtype
              + "\",\"shape\":["
              + dims
              + "],\"data_offsets\":["
              + offset
              + ","
              + (offset + bytes.length)
              + "]}");
      data.add(bytes);
      offset += bytes.length;
      return this;
    }

    /** Adds a BF16 tensor of {@code rows x columns} whose bits are {@code row * 256 + column + 1}. */
    Builder addBf16(String name, int rows, int columns) {
      ByteBuffer bytes = ByteBuffer.allocate(rows * columns * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (int row = 0; row < rows; row++) {
        for (int column = 0; column < columns; column++) {
          bytes.putShort((short) (row * 256 + column + 1));
        }
      }
      return add(name, "BF16", new long[] {rows, columns}, bytes.array());
    }

    String headerJson() {
      return "{\"__metadata__\":{\"format\":\"pt\"}," + String.join(",", entries) + "}";
    }

    byte[] build() {
      byte[] header = headerJson().getBytes(StandardCharsets.UTF_8);
      ByteBuffer all = ByteBuffer.allocate((int) offset);
      data.forEach(all::put);
      return file(header.length, header, all.array());
    }

    Path write(Path folder, String name) throws IOException {
      return SafetensorsFixture.write(folder, name, build());
    }
  }
}
