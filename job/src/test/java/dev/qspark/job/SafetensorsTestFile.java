package dev.qspark.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes small F32 safetensors files for tests, tensor by tensor in insertion order. */
final class SafetensorsTestFile {

  private final Map<String, float[][]> tensors = new LinkedHashMap<>();

  SafetensorsTestFile add(String name, float[][] rows) {
    tensors.put(name, rows);
    return this;
  }

  void write(Path file) throws IOException {
    StringBuilder header = new StringBuilder("{");
    long offset = 0;
    for (Map.Entry<String, float[][]> entry : tensors.entrySet()) {
      float[][] rows = entry.getValue();
      long bytes = 4L * rows.length * rows[0].length;
      header.append(header.length() > 1 ? "," : "")
          .append('"').append(entry.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[")
          .append(rows.length).append(',').append(rows[0].length).append("],\"data_offsets\":[")
          .append(offset).append(',').append(offset + bytes).append("]}");
      offset += bytes;
    }
    header.append('}');
    while (header.length() % 8 != 0) {
      header.append(' ');
    }
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(8 + headerBytes.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(headerBytes.length).put(headerBytes);
    for (float[][] rows : tensors.values()) {
      for (float[] row : rows) {
        for (float value : row) {
          buffer.putFloat(value);
        }
      }
    }
    Files.write(file, buffer.array());
  }

  /** Returns rows of values from a fixed-seed generator, between -1 and 1. */
  static float[][] randomRows(int rowCount, int rowLength, long seed) {
    java.util.Random random = new java.util.Random(seed);
    float[][] rows = new float[rowCount][rowLength];
    for (float[] row : rows) {
      for (int i = 0; i < rowLength; i++) {
        row[i] = random.nextFloat() * 2 - 1;
      }
    }
    return rows;
  }
}
