package dev.qspark.job.cli;

import dev.qspark.checkpoint.Checkpoint;
import dev.qspark.checkpoint.SafetensorsFile;
import dev.qspark.checkpoint.SelectionDecision;
import dev.qspark.checkpoint.TensorEntry;
import dev.qspark.checkpoint.TensorName;
import dev.qspark.checkpoint.TensorSelection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The table that {@code inspect} prints: one row per tensor, then totals and the embeddings note. */
final class InspectReport {

  private static final String[] HEADER = {
    "NAME", "DTYPE", "SHAPE", "PARAMS", "BYTES", "LAYER", "MODULE", "ACTION", "REASON"
  };

  private final Checkpoint checkpoint;
  private final TensorSelection selection;

  InspectReport(Checkpoint checkpoint, TensorSelection selection) {
    this.checkpoint = checkpoint;
    this.selection = selection;
  }

  void print(PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    long parameters = 0;
    long bytes = 0;
    int quantizedTensors = 0;
    long quantizedParameters = 0;
    long quantizedBytes = 0;
    for (TensorEntry tensor : checkpoint.tensors()) {
      TensorName name = TensorName.parse(tensor.name());
      SelectionDecision decision = selection.decide(tensor);
      rows.add(
          new String[] {
            tensor.name(),
            tensor.dtype().name(),
            tensor.shapeString().replace(" ", ""),
            Long.toString(tensor.elementCount()),
            Long.toString(tensor.byteLength()),
            name.layer() == null ? "-" : name.layer().toString(),
            name.module().isEmpty() ? "-" : name.module(),
            decision.action().name().toLowerCase(Locale.ROOT),
            decision.reason()
          });
      parameters += tensor.elementCount();
      bytes += tensor.byteLength();
      if (decision.isQuantize()) {
        quantizedTensors++;
        quantizedParameters += tensor.elementCount();
        quantizedBytes += tensor.byteLength();
      }
    }

    long fileBytes = checkpoint.files().stream().mapToLong(SafetensorsFile::fileLength).sum();
    out.printf(
        "Model: %s (%s, %d file%s, %d bytes)%n",
        checkpoint.location(),
        checkpoint.layout().name().toLowerCase(Locale.ROOT).replace('_', ' '),
        checkpoint.files().size(),
        checkpoint.files().size() == 1 ? "" : "s",
        fileBytes);
    printTable(out, rows);
    out.printf(
        "Total: %d tensors, %d parameters, %d bytes%n",
        checkpoint.tensors().size(), parameters, bytes);
    out.printf(
        "To quantize: %d tensors, %d parameters, %d bytes%n",
        quantizedTensors, quantizedParameters, quantizedBytes);
    out.println("Embeddings: " + checkpoint.tiedEmbeddings().note());
  }

  // Every column but the last is padded to its widest cell, so the table lines up in a terminal.
  private static void printTable(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        if (i == row.length - 1) {
          line.append(row[i]);
        } else {
          char[] padding = new char[widths[i] - row[i].length() + 2];
          Arrays.fill(padding, ' ');
          line.append(row[i]).append(padding);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
