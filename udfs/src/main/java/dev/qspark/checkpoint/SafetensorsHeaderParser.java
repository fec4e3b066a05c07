package dev.qspark.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads and checks the header of a safetensors file: an 8-byte little-endian unsigned header
 * length, then that many bytes of a UTF-8 JSON object, then the data section. The JSON object maps
 * each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}, with offsets
 * relative to the start of the data section, and may carry a {@code __metadata__} object of
 * strings. Only the header is read, never the data section.
 */
public final class SafetensorsHeaderParser {

  static final int LENGTH_PREFIX_BYTES = 8;

  static final String METADATA_KEY = "__metadata__";

  // Duplicate tensor names would make a lookup by name ambiguous, so they are invalid JSON here.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private SafetensorsHeaderParser() {}

  /** Reads the header of {@code path}, which {@code fs} must contain, and checks it. */
  public static SafetensorsFile read(FileSystem fs, Path path, CheckpointOptions options)
      throws IOException {
    return read(fs, path, fs.makeQualified(path).getName(), options);
  }

  /**
   * Reads the header of {@code path} like {@link #read(FileSystem, Path, CheckpointOptions)}, naming
   * the file {@code fileName} in messages, such as the path the user gave.
   */
  public static SafetensorsFile read(
      FileSystem fs, Path path, String fileName, CheckpointOptions options) throws IOException {
    Path qualified = fs.makeQualified(path);
    long fileLength = fs.getFileStatus(qualified).getLen();
    try (FSDataInputStream in = fs.open(qualified)) {
      if (fileLength < LENGTH_PREFIX_BYTES) {
        throw invalid(
            fileName,
            "the file is "
                + fileLength
                + " bytes long but a safetensors file starts with an 8-byte header length");
      }
      byte[] prefix = new byte[LENGTH_PREFIX_BYTES];
      in.readFully(0, prefix);
      long headerLength = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
      checkHeaderLength(fileName, headerLength, fileLength, options);
      byte[] header = new byte[(int) headerLength];
      in.readFully(LENGTH_PREFIX_BYTES, header);
      return parse(qualified.toString(), fileName, fileLength, header, options);
    }
  }

  private static void checkHeaderLength(
      String fileName, long headerLength, long fileLength, CheckpointOptions options) {
    if (headerLength == 0) {
      throw invalid(
          fileName, "header length is 0 but the header must be a JSON object of at least 2 bytes");
    }
    // The length is unsigned, so a value with the top bit set reads as negative here. A length beyond
    // the file comes first: the first 8 bytes of a JSON or text file read as such a length.
    long available = fileLength - LENGTH_PREFIX_BYTES;
    if (Long.compareUnsigned(headerLength, available) > 0) {
      throw invalid(
          fileName,
          "header length "
              + Long.toUnsignedString(headerLength)
              + " is larger than the file, which holds "
              + available
              + " bytes after the 8-byte length prefix, so the file is truncated or not a safetensors"
              + " file");
    }
    if (Long.compareUnsigned(headerLength, options.maxHeaderBytes()) > 0) {
      throw invalid(
          fileName,
          "header length "
              + Long.toUnsignedString(headerLength)
              + " is above the maximum of "
              + options.maxHeaderBytes()
              + " bytes; raise --max-header-bytes if the file is trusted");
    }
  }

  /**
   * Parses and checks the JSON header of a file of {@code fileLength} bytes.
   *
   * @param file fully qualified path stored in each {@link TensorEntry}
   * @param fileName name used in messages
   */
  static SafetensorsFile parse(
      String file, String fileName, long fileLength, byte[] header, CheckpointOptions options) {
    JsonNode root = parseJson(fileName, header);
    long dataStart = LENGTH_PREFIX_BYTES + (long) header.length;
    long dataLength = fileLength - dataStart;

    Map<String, String> metadata = Map.of();
    List<TensorEntry> tensors = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        metadata = parseMetadata(fileName, field.getValue());
      } else {
        tensors.add(
            TensorHeaderEntry.parse(
                file, fileName, field.getKey(), field.getValue(), dataStart, dataLength));
      }
    }
    DataSectionCheck.check(fileName, tensors, dataStart, dataLength, options.strict());
    return new SafetensorsFile(file, fileName, fileLength, header.length, metadata, tensors);
  }

  private static JsonNode parseJson(String fileName, byte[] header) {
    JsonNode root;
    try (JsonParser parser = MAPPER.createParser(header)) {
      root = MAPPER.readTree(parser);
      // Bytes after the first JSON value would otherwise be ignored silently.
      if (root != null && parser.nextToken() != null) {
        throw invalid(
            fileName,
            "the header continues after its JSON object at byte "
                + parser.currentTokenLocation().getByteOffset()
                + "; only spaces may follow it");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidCheckpointException(
          "Cannot read "
              + fileName
              + ": the header is not valid JSON: "
              + e.getOriginalMessage()
              + " at byte "
              + e.getLocation().getByteOffset()
              + " of the header",
          e);
    } catch (IOException e) {
      throw new InvalidCheckpointException(
          "Cannot read " + fileName + ": the header is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw invalid(fileName, "the header contains no JSON value, only whitespace");
    }
    if (!root.isObject()) {
      throw invalid(
          fileName,
          "the header is a JSON "
              + root.getNodeType().name().toLowerCase(Locale.ROOT)
              + " but must be a JSON object that maps tensor names to their entries");
    }
    return root;
  }

  private static Map<String, String> parseMetadata(String fileName, JsonNode node) {
    if (!node.isObject()) {
      throw invalid(
          fileName, METADATA_KEY + " is " + node + " but must be a JSON object of strings");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getValue().isTextual()) {
        throw invalid(
            fileName,
            METADATA_KEY
                + " key \""
                + entry.getKey()
                + "\" has the value "
                + entry.getValue()
                + " but metadata values must be strings");
      }
      metadata.put(entry.getKey(), entry.getValue().textValue());
    }
    return metadata;
  }

  static InvalidCheckpointException invalid(String fileName, String reason) {
    return new InvalidCheckpointException("Cannot read " + fileName + ": " + reason);
  }
}
