package dev.qspark.job.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table exported as CSV (RFC 4180: comma separated, fields with a comma, quote or line break
 * quoted, quotes doubled, CRLF line ends). Numbers are written with a dot as decimal separator;
 * NaN and null become empty fields, infinities {@code inf} and {@code -inf} as pandas reads them.
 */
public final class CsvTable {

  private final String name;
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  /** @param name the file name without {@code .csv} */
  public CsvTable(String name, List<String> header) {
    this.name = name;
    this.header = List.copyOf(header);
  }

  public String name() {
    return name;
  }

  public String fileName() {
    return name + ".csv";
  }

  public List<String> header() {
    return header;
  }

  public int rowCount() {
    return rows.size();
  }

  /** Adds a row; values are formatted with {@link #format(Object)}. */
  public CsvTable addRow(Object... values) {
    if (values.length != header.size()) {
      throw new IllegalArgumentException("Cannot add a row to " + fileName() + ": " + values.length
          + " values for " + header.size() + " columns " + header);
    }
    List<String> row = new ArrayList<>(values.length);
    for (Object value : values) {
      row.add(format(value));
    }
    rows.add(row);
    return this;
  }

  public String toCsv() {
    StringBuilder out = new StringBuilder();
    appendLine(out, header);
    for (List<String> row : rows) {
      appendLine(out, row);
    }
    return out.toString();
  }

  static String format(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isNaN(number)) {
        return "";
      }
      if (Double.isInfinite(number)) {
        return number > 0 ? "inf" : "-inf";
      }
      return String.format(Locale.ROOT, "%.6g", number).trim();
    }
    return value.toString();
  }

  private static void appendLine(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(quote(fields.get(i)));
    }
    out.append("\r\n");
  }

  private static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
