package dev.qspark.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * The parsed, checked header of one safetensors file. Only the header has been read.
 *
 * @param file fully qualified path
 * @param fileName last path component, used in messages
 * @param fileLength length of the whole file in bytes
 * @param headerLength length of the JSON header in bytes, without the 8-byte length prefix
 * @param metadata the {@code __metadata__} entries, empty when absent
 * @param tensors tensors in header order, with absolute offsets in {@code file}
 */
public record SafetensorsFile(
    String file,
    String fileName,
    long fileLength,
    long headerLength,
    Map<String, String> metadata,
    List<TensorEntry> tensors) {

  public SafetensorsFile {
    metadata = Map.copyOf(metadata);
    tensors = List.copyOf(tensors);
  }

  /** Absolute offset of the data section: the 8-byte prefix plus the header. */
  public long dataStart() {
    return SafetensorsHeaderParser.LENGTH_PREFIX_BYTES + headerLength;
  }

  public long dataLength() {
    return fileLength - dataStart();
  }
}
