package dev.qspark.checkpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks how the tensors of one file share its data section: no two tensors may overlap, and in
 * strict mode every byte belongs to a tensor, as the safetensors library requires.
 */
final class DataSectionCheck {

  private DataSectionCheck() {}

  static void check(
      String fileName, List<TensorEntry> tensors, long dataStart, long dataLength, boolean strict) {
    List<TensorEntry> byOffset = new ArrayList<>(tensors);
    // Zero-length tensors occupy no bytes, so they can neither overlap nor close a gap.
    byOffset.removeIf(tensor -> tensor.byteLength() == 0);
    byOffset.sort(Comparator.comparingLong(TensorEntry::begin).thenComparing(TensorEntry::name));

    TensorEntry previous = null;
    for (TensorEntry tensor : byOffset) {
      long previousEnd = previous == null ? dataStart : previous.end();
      if (tensor.begin() < previousEnd) {
        throw SafetensorsHeaderParser.invalid(
            fileName,
            "tensors "
                + previous.name()
                + " "
                + relativeOffsets(previous, dataStart)
                + " and "
                + tensor.name()
                + " "
                + relativeOffsets(tensor, dataStart)
                + " overlap; each byte of the data section belongs to at most one tensor");
      }
      if (strict && tensor.begin() > previousEnd) {
        String where =
            previous == null
                ? "before the first tensor " + tensor.name()
                : "between " + previous.name() + " and " + tensor.name();
        throw gap(fileName, previousEnd - dataStart, tensor.begin() - dataStart, where);
      }
      previous = tensor;
    }

    long lastEnd = previous == null ? 0 : previous.end() - dataStart;
    if (strict && lastEnd < dataLength) {
      String where = previous == null ? "in a file without tensor data" : "after the last tensor " + previous.name();
      throw gap(fileName, lastEnd, dataLength, where);
    }
  }

  private static InvalidCheckpointException gap(
      String fileName, long gapBegin, long gapEnd, String where) {
    return SafetensorsHeaderParser.invalid(
        fileName,
        "bytes ["
            + gapBegin
            + ", "
            + gapEnd
            + ") of the data section belong to no tensor ("
            + where
            + "); strict mode requires the tensors to cover the data section without gaps");
  }

  private static String relativeOffsets(TensorEntry tensor, long dataStart) {
    return "[" + (tensor.begin() - dataStart) + ", " + (tensor.end() - dataStart) + "]";
  }
}
