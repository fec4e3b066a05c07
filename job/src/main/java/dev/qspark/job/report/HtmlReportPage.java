package dev.qspark.job.report;

import static dev.qspark.job.report.Html.escape;
import static dev.qspark.job.report.Html.number;
import static dev.qspark.job.report.Html.percent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders the report as one self-contained HTML page: the style sheet and the charts (SVG) are
 * inline, and nothing is loaded from the network. The page is also well-formed XML, so tests and
 * tools can read it with an XML parser.
 */
final class HtmlReportPage {

  private static final int VERSION_TENSORS_SHOWN = 5;

  private final ReportContent content;
  private final Set<String> frontIds = new HashSet<>();

  HtmlReportPage(ReportContent content) {
    this.content = content;
    content.front().forEach(summary -> frontIds.add(summary.configId()));
  }

  String render() {
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>qspark sweep report: ").append(escape(content.sweepName())).append("</title>\n<style>\n")
        .append(styleSheet()).append("</style>\n</head>\n<body>\n<main>\n");
    header(html);
    summary(html);
    pareto(html);
    layers(html);
    moduleTypes(html);
    versions(html);
    files(html);
    html.append("<footer>Written by qspark report. SQNR is 10 log10(signal power / error power) of the"
        + " dequantized weights against the input weights; higher is better.</footer>\n");
    return html.append("</main>\n</body>\n</html>\n").toString();
  }

  private void header(StringBuilder html) {
    html.append("<header>\n<h1>Quantization sweep report</h1>\n<p class=\"sub\">")
        .append(escape(content.sweepDir())).append("</p>\n<p class=\"facts\">");
    for (Map.Entry<String, String> fact : content.manifestFacts().entrySet()) {
      html.append("<span><b>").append(escape(fact.getKey())).append("</b> ").append(escape(fact.getValue()))
          .append("</span>");
    }
    html.append("</p>\n<div class=\"cards\">\n");
    List<ConfigSummary> summaries = content.summaries();
    card(html, "configs", Integer.toString(summaries.size()), content.tensorCount() + " tensors in the metrics");
    ConfigSummary best = null;
    ConfigSummary smallest = null;
    for (ConfigSummary summary : content.front()) {
      if (best == null || summary.sqnr().mean() > best.sqnr().mean()) {
        best = summary;
      }
      if (smallest == null || summary.bitsPerWeight() < smallest.bitsPerWeight()) {
        smallest = summary;
      }
    }
    if (best != null) {
      card(html, "most accurate", number(best.sqnr().mean(), 1) + " dB",
          best.configId() + " at " + number(best.bitsPerWeight(), 2) + " bits/weight");
      card(html, "smallest on the front", number(smallest.bitsPerWeight(), 2) + " bits/weight",
          smallest.configId() + ", mean SQNR " + number(smallest.sqnr().mean(), 1) + " dB");
    }
    int frontSize = content.front().size();
    card(html, "Pareto front", frontSize + (frontSize == 1 ? " config" : " configs"),
        "of " + summaries.size() + ", at " + ParetoFront.distinctPoints(content.front())
            + " distinct points that no other config beats on both size and SQNR");
    html.append("</div>\n</header>\n");
  }

  private static void card(StringBuilder html, String label, String value, String detail) {
    html.append("<div class=\"card\"><div class=\"label\">").append(escape(label)).append("</div><div class=\"value\">")
        .append(escape(value)).append("</div><div class=\"detail\">").append(escape(detail)).append("</div></div>\n");
  }

  private void summary(StringBuilder html) {
    html.append("<section id=\"summary\">\n<h2>Summary by config</h2>\n<p class=\"lead\">Output size counts the stored"
        + " bytes (qdata plus qparams) of the tensors each config quantized, in 1024-based units (KiB, MiB) as in"
        + " the console summary; bits/weight divides those bits by the same tensors' elements. Skipped, rejected"
        + " and kept tensors are left out, and a config that quantized nothing shows \u2013. SQNR statistics"
        + " cover the quantized tensors. \u25C6 marks the Pareto front.</p>\n<p class=\"lead\">Stored bits can"
        + " exceed the nominal bits: Intx configs store one value per int8 byte"
        + " (<code>IntxUnpackedToInt8Tensor</code>), and the tinygemm formats (Int4 version 1 and"
        + " <code>tile_packed_to_4d</code>) pad in_features to a multiple of 1024.</p>\n<div class=\"table-wrap\">\n"
        + "<table id=\"summary-table\">\n<thead><tr><th>config</th><th class=\"num\">quantized</th>"
        + "<th class=\"num\">skipped</th><th class=\"num\">rejected</th><th class=\"num\">output size</th>"
        + "<th class=\"num\">bits/weight</th><th class=\"num\">nominal bits</th><th class=\"num\">mean SQNR</th>"
        + "<th class=\"num\">median SQNR</th><th class=\"num\">min SQNR</th>"
        + "</tr></thead>\n");
    for (ConfigSummary summary : content.summaries()) {
      html.append("<tbody class=\"config\"><tr").append(frontIds.contains(summary.configId()) ? " class=\"front\"" : "")
          .append(">")
          .append("<td class=\"id\" title=\"").append(escape(summary.config())).append("\">")
          .append(escape(summary.configId())).append("</td>")
          .append(numberCell(Integer.toString(summary.quantized())))
          .append("<td class=\"num\">").append(summary.skipped() > 0
              ? "<span class=\"badge skip\">" + summary.skipped() + "</span>" : "0").append("</td>")
          .append("<td class=\"num\">").append(summary.rejected() > 0
              ? "<span class=\"badge warn\">" + summary.rejected() + "</span>" : "0").append("</td>")
          .append(numberCell(summary.quantized() == 0 ? number(Double.NaN, 0) : Html.bytes(summary.outputBytes())))
          .append(numberCell(number(summary.bitsPerWeight(), 3)))
          .append(numberCell(number(summary.nominalBitsPerWeight(), 3)))
          .append(numberCell(number(summary.sqnr().mean(), 2)))
          .append(numberCell(number(summary.sqnr().median(), 2)))
          .append(numberCell(number(summary.sqnr().min(), 2)))
          .append("</tr>\n<tr class=\"worst-row\"><td colspan=\"10\" class=\"worst\">")
          .append(summary.worstTensors().isEmpty() ? "" : "lowest SQNR (dB): ");
      for (MetricRow row : summary.worstTensors()) {
        html.append("<span class=\"chip\" title=\"").append(escape(row.tensor())).append("\">")
            .append(escape(shortName(row))).append(" <b>").append(number(row.sqnrDb(), 1)).append("</b></span>");
      }
      html.append("</td></tr>\n</tbody>\n");
    }
    html.append("</table>\n</div>\n</section>\n");
  }

  private void pareto(StringBuilder html) {
    html.append("<section id=\"pareto\">\n<h2>Size against accuracy</h2>\n<p class=\"lead\">Each point is a"
        + " config: further left is smaller, higher is more accurate. The red points form the Pareto front; a"
        + " config off the front is beaten on both axes by one on it. Configs with rejected tensors are never"
        + " on the front, because torchao raises for them.</p>\n<figure>\n")
        .append(SvgCharts.pareto(content.summaries(), content.front()))
        .append("\n<figcaption>Stored bits per weight against mean SQNR, both over each config's quantized"
            + " tensors.</figcaption>\n</figure>\n</section>\n");
  }

  private void layers(StringBuilder html) {
    html.append("<section id=\"layers\">\n<h2>SQNR by layer</h2>\n<p class=\"lead\">Mean SQNR of each layer's"
        + " quantized tensors. A dip marks a layer that loses more accuracy than its neighbours.</p>\n<figure>\n")
        .append(SvgCharts.layerLines(content.byLayer()))
        .append("\n<figcaption>One line per config; tensors outside numbered layers are not shown.</figcaption>\n"
            + "</figure>\n</section>\n");
  }

  private void moduleTypes(StringBuilder html) {
    SqnrBreakdown breakdown = content.byModuleType();
    html.append("<section id=\"module-types\">\n<h2>SQNR by module type</h2>\n<p class=\"lead\">Mean SQNR over"
        + " layers for each kind of linear layer; darker cells are more accurate.</p>\n<div class=\"table-wrap\">\n"
        + "<table id=\"module-type-table\">\n<thead><tr><th>config</th>");
    for (String key : breakdown.keys()) {
      html.append("<th class=\"num\">").append(escape(key)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    double low = Double.MAX_VALUE;
    double high = -Double.MAX_VALUE;
    for (String configId : breakdown.configIds()) {
      for (String key : breakdown.keys()) {
        SqnrStatistics cell = breakdown.cell(configId, key);
        if (cell != null && Double.isFinite(cell.mean())) {
          low = Math.min(low, cell.mean());
          high = Math.max(high, cell.mean());
        }
      }
    }
    for (String configId : breakdown.configIds()) {
      html.append("<tr><td class=\"id\">").append(escape(configId)).append("</td>");
      for (String key : breakdown.keys()) {
        SqnrStatistics cell = breakdown.cell(configId, key);
        if (cell == null) {
          html.append("<td class=\"num\">\u2013</td>");
          continue;
        }
        double share = high > low && Double.isFinite(cell.mean()) ? (cell.mean() - low) / (high - low) : 1;
        double alpha = 0.06 + 0.5 * share;
        html.append("<td class=\"num\" style=\"background: rgba(78,121,167,")
            .append(String.format(Locale.ROOT, "%.3f", alpha)).append(")").append(share > 0.7 ? "; color: #fff" : "")
            .append("\">").append(number(cell.mean(), 2)).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n</div>\n</section>\n");
  }

  private void versions(StringBuilder html) {
    html.append("<section id=\"versions\">\n<h2>Version 1 against version 2</h2>\n");
    if (content.versionComparisons().isEmpty()) {
      html.append("<p class=\"lead\">The sweep has no pair of configs that differ only in <code>version</code>."
          + " The <code>versions</code> preset of <code>qspark sweep</code> runs such pairs.</p>\n</section>\n");
      return;
    }
    html.append("<p class=\"lead\">Pairs of configs that differ only in <code>version</code>. The two versions"
        + " store different integer ranges and scale shapes, so the comparison is between dequantized values;"
        + " scales are compared group by group.</p>\n");
    for (VersionComparison comparison : content.versionComparisons()) {
      VersionPair pair = comparison.pair();
      BlockDifference total = comparison.total();
      html.append("<div class=\"pair\">\n<h3><span class=\"id\">").append(escape(pair.v1ConfigId()))
          .append("</span> against <span class=\"id\">").append(escape(pair.v2ConfigId())).append("</span></h3>\n")
          .append("<p class=\"why\">").append(escape(pair.reason())).append("</p>\n<div class=\"stats\">")
          .append(stat(comparison.dequantized() ? percent(total.differingValueShare()) : "not compared",
              "values whose dequantized result differs"))
          .append(stat(percent(total.differingScaleShare()), "groups whose scale differs"))
          .append(stat(signed(comparison.meanSqnrDifferenceDb()) + " dB", "mean SQNR, version 2 minus version 1"))
          .append(stat(Integer.toString(comparison.tensors().size()), "tensors both versions quantized"))
          .append("</div>\n");
      if (!comparison.dequantized()) {
        html.append("<p class=\"lead\">The report cannot dequantize this format yet, so only scales and SQNR"
            + " are compared.</p>\n");
      }
      html.append("<div class=\"table-wrap\"><table class=\"version-table\">\n<thead><tr><th>tensor</th>"
          + "<th class=\"num\">values differing</th><th class=\"num\">scales differing</th>"
          + "<th class=\"num\">max |difference|</th><th class=\"num\">v1 SQNR</th><th class=\"num\">v2 SQNR</th>"
          + "<th class=\"num\">\u0394 SQNR</th></tr></thead>\n<tbody>\n");
      List<VersionComparison.TensorDifference> tensors = comparison.tensors();
      for (int i = 0; i < tensors.size() && i < VERSION_TENSORS_SHOWN; i++) {
        VersionComparison.TensorDifference tensor = tensors.get(i);
        html.append("<tr><td class=\"id\">").append(escape(tensor.tensor())).append("</td>")
            .append(numberCell(percent(tensor.difference().differingValueShare())))
            .append(numberCell(percent(tensor.difference().differingScaleShare())))
            .append(numberCell(number(tensor.difference().maxAbsDifference(), 5)))
            .append(numberCell(number(tensor.v1SqnrDb(), 2)))
            .append(numberCell(number(tensor.v2SqnrDb(), 2)))
            .append(numberCell(signed(tensor.sqnrDifferenceDb())))
            .append("</tr>\n");
      }
      html.append("</tbody>\n</table></div>\n</div>\n");
    }
    html.append("</section>\n");
  }

  private void files(StringBuilder html) {
    html.append("<section id=\"exports\">\n<h2>Exports</h2>\n<p class=\"lead\">Every table as CSV, next to this"
        + " page, plus per-tensor scale statistics and histograms for the notebook"
        + " <code>notebooks/sweep_report.ipynb</code>.</p>\n<ul class=\"files\">\n");
    for (String file : content.csvFiles()) {
      html.append("<li><a href=\"").append(escape(file)).append("\">").append(escape(file)).append("</a></li>\n");
    }
    html.append("</ul>\n</section>\n");
  }

  /** Names a tensor by layer and module type, e.g. {@code L3 q_proj}; the full name is in the tooltip. */
  private static String shortName(MetricRow row) {
    String module = row.moduleType() == null || row.moduleType().isEmpty() ? row.moduleFqn() : row.moduleType();
    return row.layer() == null ? module : "L" + row.layer() + " " + module;
  }

  private static String stat(String value, String label) {
    return "<div><div class=\"value\">" + escape(value) + "</div><div class=\"label\">" + escape(label) + "</div></div>";
  }

  private static String numberCell(String text) {
    return "<td class=\"num\">" + escape(text) + "</td>";
  }

  private static String signed(double value) {
    return Double.isFinite(value) && value > 0 ? "+" + number(value, 2) : number(value, 2);
  }

  private static String styleSheet() {
    try (InputStream in = HtmlReportPage.class.getResourceAsStream("report.css")) {
      if (in == null) {
        throw new IllegalStateException("Cannot render the report: report.css is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render the report: reading report.css failed", e);
    }
  }
}
