package dev.qspark.job.output;

import dev.qspark.job.plan.JobConfig;
import dev.qspark.job.plan.TensorStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The table printed at the end of a job: one line per config with its tensor counts by status, the
 * stored size in MiB (qdata plus qparams) and bits per weight of its quantized tensors, the plain
 * mean and the minimum SQNR over those tensors, and the tensor with the lowest SQNR. Skipped,
 * rejected and kept tensors are not counted in the sizes, and a config that quantized nothing shows
 * {@code -}. The sweep report uses the same definitions.
 */
public final class SummaryTable {

  private static final String[] HEADER = {
    "CONFIG_ID", "QUANTIZED", "KEPT", "SKIPPED", "REJECTED", "OUTPUT_MIB", "BITS/WEIGHT", "MEAN_SQNR_DB",
    "MIN_SQNR_DB", "WORST_TENSOR"
  };

  private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

  private SummaryTable() {}

  public static void print(PrintWriter out, List<JobConfig> configs, List<TensorMetrics> metrics) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (JobConfig config : configs) {
      rows.add(row(config.configId(), metrics.stream().filter(m -> m.configId().equals(config.configId())).toList()));
    }
    printAligned(out, rows);
    out.flush();
  }

  private static String[] row(String configId, List<TensorMetrics> metrics) {
    long storedBytes = 0;
    long elements = 0;
    double sqnrSum = 0;
    int sqnrCount = 0;
    TensorMetrics worst = null;
    for (TensorMetrics m : metrics) {
      if (!m.status().equals(TensorStatus.QUANTIZED.label())) {
        continue;
      }
      storedBytes += m.storedBytes();
      elements += m.elements();
      sqnrSum += m.sqnrDb();
      sqnrCount++;
      if (worst == null || m.sqnrDb() < worst.sqnrDb()) {
        worst = m;
      }
    }
    return new String[] {
      configId,
      count(metrics, TensorStatus.QUANTIZED),
      count(metrics, TensorStatus.KEPT),
      count(metrics, TensorStatus.SKIPPED),
      count(metrics, TensorStatus.REJECTED),
      elements == 0 ? "-" : String.format(Locale.ROOT, "%.3f", storedBytes / BYTES_PER_MIB),
      elements == 0 ? "-" : String.format(Locale.ROOT, "%.3f", 8.0 * storedBytes / elements),
      sqnrCount == 0 ? "-" : decibels(sqnrSum / sqnrCount),
      worst == null ? "-" : decibels(worst.sqnrDb()),
      worst == null ? "-" : worst.tensor()
    };
  }

  private static String count(List<TensorMetrics> metrics, TensorStatus status) {
    return Long.toString(metrics.stream().filter(m -> m.status().equals(status.label())).count());
  }

  private static String decibels(double value) {
    return Double.isInfinite(value) ? "inf" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static void printAligned(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          char[] padding = new char[widths[i] - row[i].length() + 2];
          Arrays.fill(padding, ' ');
          line.append(padding);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
