package dev.qspark.kernels.vectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qspark.kernels.FloatDtype;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small safetensors files for tests: an 8-byte little-endian header length, the JSON header
 * (padded with spaces to a multiple of 8 bytes), then each tensor's little-endian data in order.
 */
final class SafetensorsTestWriter {

  /** A 2-D tensor whose values are exact float32 images of numbers of {@code dtype}. */
  record Tensor(String name, int rows, int columns, FloatDtype dtype, float[] values) {}

  private SafetensorsTestWriter() {}

  static void write(Path file, List<Tensor> tensors) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    long offset = 0;
    for (Tensor tensor : tensors) {
      long size = (long) tensor.values().length * tensor.dtype().bitWidth() / 8;
      header.put(tensor.name(), Map.of(
          "dtype", safetensorsDtype(tensor.dtype()),
          "shape", List.of(tensor.rows(), tensor.columns()),
          "data_offsets", List.of(offset, offset + size)));
      offset += size;
    }
    StringBuilder json = new StringBuilder(new ObjectMapper().writeValueAsString(header));
    while (json.length() % 8 != 0) {
      json.append(' ');
    }
    byte[] headerBytes = json.toString().getBytes(StandardCharsets.UTF_8);

    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
      out.write(headerBytes);
      for (Tensor tensor : tensors) {
        out.write(encode(tensor));
      }
    }
  }

  private static String safetensorsDtype(FloatDtype dtype) {
    return switch (dtype) {
      case FLOAT32 -> "F32";
      case BFLOAT16 -> "BF16";
      case FLOAT16 -> "F16";
    };
  }

  private static byte[] encode(Tensor tensor) {
    float[] values = tensor.values();
    ByteBuffer buffer = ByteBuffer.allocate(values.length * tensor.dtype().bitWidth() / 8)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      switch (tensor.dtype()) {
        case FLOAT32 -> buffer.putFloat(value);
        case BFLOAT16 -> buffer.putShort((short) (Float.floatToRawIntBits(value) >>> 16));
        case FLOAT16 -> buffer.putShort(FloatDtype.floatToFloat16Bits(value));
      }
    }
    return buffer.array();
  }
}
