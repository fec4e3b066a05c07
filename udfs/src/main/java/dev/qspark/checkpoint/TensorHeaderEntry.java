package dev.qspark.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/** Parses and checks one tensor's entry of a safetensors header. */
final class TensorHeaderEntry {

  private TensorHeaderEntry() {}

  /**
   * Parses the entry of tensor {@code name} and checks that its offsets lie in the data section
   * and span exactly the bytes its dtype and shape need.
   *
   * @param dataStart absolute offset of the data section in the file
   * @param dataLength length of the data section in bytes
   */
  static TensorEntry parse(
      String file,
      String fileName,
      String name,
      JsonNode node,
      long dataStart,
      long dataLength) {
    if (!node.isObject()) {
      throw invalid(
          fileName,
          name,
          "is the JSON "
              + describeNodeType(node)
              + " "
              + node
              + " but must be an object with dtype, shape and data_offsets");
    }
    Dtype dtype = parseDtype(fileName, name, require(fileName, name, node, "dtype"));
    long[] shape = parseShape(fileName, name, require(fileName, name, node, "shape"));
    JsonNode offsetsNode = require(fileName, name, node, "data_offsets");
    long[] offsets = parseOffsets(fileName, name, offsetsNode);
    long begin = offsets[0];
    long end = offsets[1];
    String offsetsText = "[" + begin + ", " + end + "]";
    if (end < begin) {
      throw invalid(
          fileName,
          name,
          "has data_offsets " + offsetsText + " but end must not be before begin");
    }

    long needed = neededBytes(fileName, name, dtype, shape);
    if (end - begin != needed) {
      throw invalid(
          fileName,
          name,
          "has data_offsets "
              + offsetsText
              + " but "
              + valuesNeed(dtype, shape)
              + " "
              + needed
              + " bytes, not "
              + (end - begin));
    }
    if (end > dataLength) {
      throw invalid(
          fileName,
          name,
          "has data_offsets "
              + offsetsText
              + " but "
              + valuesNeed(dtype, shape)
              + " "
              + needed
              + " bytes from offset "
              + begin
              + ", but the data section has "
              + dataLength
              + " bytes, so the file is truncated or its header is wrong");
    }
    return new TensorEntry(file, name, dtype, shape, dataStart + begin, dataStart + end);
  }

  private static JsonNode require(String fileName, String name, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw invalid(
          fileName, name, "has no " + field + "; each tensor needs dtype, shape and data_offsets");
    }
    return value;
  }

  private static Dtype parseDtype(String fileName, String name, JsonNode node) {
    if (!node.isTextual()) {
      throw invalid(
          fileName, name, "has dtype " + node + " but dtype must be a string such as \"BF16\"");
    }
    return Dtype.fromName(node.textValue())
        .orElseThrow(
            () ->
                invalid(
                    fileName,
                    name,
                    "has dtype "
                        + node
                        + ", which is not a safetensors dtype; accepted: "
                        + Dtype.acceptedNames()));
  }

  private static long[] parseShape(String fileName, String name, JsonNode node) {
    if (!node.isArray()) {
      throw invalid(
          fileName,
          name,
          "has shape " + node + " but shape must be an array of non-negative integers");
    }
    long[] shape = new long[node.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode dim = node.get(i);
      if (!isNonNegativeLong(dim)) {
        throw invalid(
            fileName,
            name,
            "has shape " + node + " but dimensions must be non-negative integers");
      }
      shape[i] = dim.longValue();
    }
    return shape;
  }

  private static long[] parseOffsets(String fileName, String name, JsonNode node) {
    if (!node.isArray()
        || node.size() != 2
        || !isNonNegativeLong(node.get(0))
        || !isNonNegativeLong(node.get(1))) {
      throw invalid(
          fileName,
          name,
          "has data_offsets "
              + node
              + " but data_offsets must be two non-negative integers [begin, end]");
    }
    return new long[] {node.get(0).longValue(), node.get(1).longValue()};
  }

  private static boolean isNonNegativeLong(JsonNode node) {
    return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0;
  }

  /** Bytes that {@code shape} elements of {@code dtype} fill; sub-byte types must end on a byte. */
  private static long neededBytes(String fileName, String name, Dtype dtype, long[] shape) {
    try {
      long elements = 1;
      for (long dim : shape) {
        elements = Math.multiplyExact(elements, dim);
      }
      long bits = Math.multiplyExact(elements, (long) dtype.bits());
      if (bits % 8 != 0) {
        throw invalid(
            fileName,
            name,
            "has shape "
                + shapeString(shape)
                + " of "
                + dtype.displayName()
                + " values, which fill "
                + bits
                + " bits, not a whole number of bytes");
      }
      return bits / 8;
    } catch (ArithmeticException e) {
      throw invalid(
          fileName,
          name,
          "has shape "
              + shapeString(shape)
              + " whose size in bits overflows a 64-bit integer");
    }
  }

  /** Describes the values of a tensor with a verb, as in {@code 4096 x 688 bf16 values need}. */
  private static String valuesNeed(Dtype dtype, long[] shape) {
    if (shape.length == 0) {
      return "a scalar " + dtype.displayName() + " value needs";
    }
    String dims = LongStream.of(shape).mapToObj(Long::toString).collect(Collectors.joining(" x "));
    return dims + " " + dtype.displayName() + " values need";
  }

  private static String shapeString(long[] shape) {
    return LongStream.of(shape)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String describeNodeType(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static InvalidCheckpointException invalid(String fileName, String name, String reason) {
    return SafetensorsHeaderParser.invalid(fileName, "tensor " + name + " " + reason);
  }
}
