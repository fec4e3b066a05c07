package dev.qspark.job.report;

import static dev.qspark.job.report.Html.coordinate;
import static dev.qspark.job.report.Html.escape;
import static dev.qspark.job.report.Html.number;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The report's charts as inline SVG, with axes, grid lines, axis titles and legends. */
final class SvgCharts {

  /** Tableau's ten-color palette; series past ten repeat the colors with a dash pattern. */
  static final String[] COLORS = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"
  };
  private static final String[] DASHES = {"", "6 3", "2 3", "8 3 2 3"};

  private static final int WIDTH = 920;
  private static final int HEIGHT = 440;
  private static final int LEFT = 70;
  private static final int TOP = 20;
  private static final int BOTTOM = 56;
  private static final int LEGEND_WIDTH = 250;
  private static final int PARETO_LEGEND_WIDTH = 200;
  /** Points closer than this share one label, because separate labels could not tell them apart. */
  private static final double SAME_PLACE_PIXELS = 5;

  private SvgCharts() {}

  static String color(int series) {
    return COLORS[series % COLORS.length];
  }

  static String dash(int series) {
    return DASHES[(series / COLORS.length) % DASHES.length];
  }

  /**
   * Plots bits per weight against mean SQNR, one point per config, with the Pareto front drawn as a
   * line through its configs. Every point is labeled with its config id (front configs in bold,
   * dominated ones small and grey); configs whose points nearly coincide share one label. The
   * legend sits right of the plot area, so it covers no point.
   */
  static String pareto(List<ConfigSummary> summaries, List<ConfigSummary> front) {
    List<ConfigSummary> points = new ArrayList<>();
    for (ConfigSummary summary : summaries) {
      if (!Double.isNaN(summary.bitsPerWeight()) && Double.isFinite(summary.sqnr().mean())) {
        points.add(summary);
      }
    }
    double right = WIDTH - PARETO_LEGEND_WIDTH;
    StringBuilder svg = open("pareto-chart", "Bits per weight against mean SQNR");
    if (points.isEmpty()) {
      return svg.append(emptyNote()).append("</svg>").toString();
    }
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (ConfigSummary point : points) {
      minX = Math.min(minX, point.bitsPerWeight());
      maxX = Math.max(maxX, point.bitsPerWeight());
      minY = Math.min(minY, point.sqnr().mean());
      maxY = Math.max(maxY, point.sqnr().mean());
    }
    ChartAxis x = new ChartAxis(minX, maxX, LEFT, right);
    ChartAxis y = new ChartAxis(minY, maxY, HEIGHT - BOTTOM, TOP);
    frame(svg, x, y, right, "bits per weight (quantized tensors)", "mean SQNR (dB)");

    StringBuilder line = new StringBuilder();
    for (ConfigSummary point : front) {
      line.append(line.length() == 0 ? "M" : " L").append(coordinate(x.pixel(point.bitsPerWeight())))
          .append(',').append(coordinate(y.pixel(point.sqnr().mean())));
    }
    if (front.size() > 1) {
      svg.append("<path class=\"front-line\" d=\"").append(line)
          .append("\" fill=\"none\" stroke=\"#e15759\" stroke-width=\"2\" stroke-dasharray=\"5 4\"/>\n");
    }
    Set<String> frontIds = new HashSet<>();
    front.forEach(summary -> frontIds.add(summary.configId()));
    List<PointLabels.Point> pixels = new ArrayList<>();
    List<PointGroup> groups = new ArrayList<>();
    for (ConfigSummary point : points) {
      boolean onFront = frontIds.contains(point.configId());
      double px = x.pixel(point.bitsPerWeight());
      double py = y.pixel(point.sqnr().mean());
      pixels.add(new PointLabels.Point(px, py));
      svg.append("<circle class=\"").append(onFront ? "point front" : "point")
          .append("\" cx=\"").append(coordinate(px)).append("\" cy=\"").append(coordinate(py))
          .append("\" r=\"").append(onFront ? 6 : 4.5).append("\" fill=\"").append(onFront ? "#e15759" : "#fff")
          .append("\" stroke=\"").append(onFront ? "#b03a3c" : "#4e79a7").append("\" stroke-width=\"2\"><title>")
          .append(escape(point.configId())).append(": ").append(number(point.bitsPerWeight(), 3))
          .append(" bits/weight, mean SQNR ").append(number(point.sqnr().mean(), 2)).append(" dB</title></circle>\n");
      PointGroup.add(groups, px, py, onFront, point.configId());
    }

    PointLabels labels = new PointLabels(LEFT, TOP, right, HEIGHT - BOTTOM, pixels);
    for (boolean frontPass : new boolean[] {true, false}) {
      for (PointGroup group : groups) {
        if (group.onFront == frontPass) {
          labels.add(group.x, group.y, String.join(", ", group.configIds),
              frontPass ? "point-label" : "point-label dominated", frontPass ? 7.4 : 6.2, frontPass ? 15 : 13);
        }
      }
    }
    svg.append("<g class=\"point-labels\">\n").append(labels.svg()).append("</g>\n");

    double legendX = right + 24;
    double legendY = TOP + 12;
    svg.append("<g class=\"legend\"><circle cx=\"").append(legendX + 4).append("\" cy=\"").append(legendY)
        .append("\" r=\"6\" fill=\"#e15759\" stroke=\"#b03a3c\" stroke-width=\"2\"/><text x=\"")
        .append(legendX + 18).append("\" y=\"").append(legendY + 4).append("\">on the Pareto front</text>")
        .append("<circle cx=\"").append(legendX + 4).append("\" cy=\"").append(legendY + 20)
        .append("\" r=\"4.5\" fill=\"#fff\" stroke=\"#4e79a7\" stroke-width=\"2\"/><text x=\"")
        .append(legendX + 18).append("\" y=\"").append(legendY + 24).append("\">dominated</text></g>\n");
    return svg.append("</svg>").toString();
  }

  /** Configs whose points lie within {@link #SAME_PLACE_PIXELS} of each other and share one label. */
  private static final class PointGroup {
    final double x;
    final double y;
    final boolean onFront;
    final List<String> configIds = new ArrayList<>();

    private PointGroup(double x, double y, boolean onFront) {
      this.x = x;
      this.y = y;
      this.onFront = onFront;
    }

    static void add(List<PointGroup> groups, double x, double y, boolean onFront, String configId) {
      for (PointGroup group : groups) {
        if (group.onFront == onFront && Math.hypot(group.x - x, group.y - y) <= SAME_PLACE_PIXELS) {
          group.configIds.add(configId);
          return;
        }
      }
      PointGroup group = new PointGroup(x, y, onFront);
      group.configIds.add(configId);
      groups.add(group);
    }
  }

  /** Plots mean SQNR by layer, one line per config, with a legend of config ids on the right. */
  static String layerLines(SqnrBreakdown byLayer) {
    double right = WIDTH - LEGEND_WIDTH;
    StringBuilder svg = open("layer-chart", "Mean SQNR by layer, one line per config");
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (String configId : byLayer.configIds()) {
      for (String key : byLayer.keys()) {
        SqnrStatistics cell = byLayer.cell(configId, key);
        if (cell != null && Double.isFinite(cell.mean())) {
          minY = Math.min(minY, cell.mean());
          maxY = Math.max(maxY, cell.mean());
        }
      }
    }
    if (byLayer.keys().isEmpty() || minY > maxY) {
      return svg.append(emptyNote()).append("</svg>").toString();
    }
    double firstLayer = Double.parseDouble(byLayer.keys().get(0));
    double lastLayer = Double.parseDouble(byLayer.keys().get(byLayer.keys().size() - 1));
    ChartAxis x = new ChartAxis(firstLayer, lastLayer, LEFT, right);
    ChartAxis y = new ChartAxis(minY, maxY, HEIGHT - BOTTOM, TOP);
    frame(svg, x, y, right, "layer", "mean SQNR (dB)");

    int series = 0;
    for (String configId : byLayer.configIds()) {
      StringBuilder path = new StringBuilder();
      StringBuilder markers = new StringBuilder();
      for (String key : byLayer.keys()) {
        SqnrStatistics cell = byLayer.cell(configId, key);
        if (cell == null || !Double.isFinite(cell.mean())) {
          continue;
        }
        double px = x.pixel(Double.parseDouble(key));
        double py = y.pixel(cell.mean());
        path.append(path.length() == 0 ? "M" : " L").append(coordinate(px)).append(',').append(coordinate(py));
        markers.append("<circle cx=\"").append(coordinate(px)).append("\" cy=\"").append(coordinate(py))
            .append("\" r=\"3\" fill=\"").append(color(series)).append("\"><title>").append(escape(configId))
            .append(", layer ").append(key).append(": ").append(number(cell.mean(), 2)).append(" dB</title></circle>");
      }
      if (path.length() > 0) {
        svg.append("<g class=\"series\" data-config=\"").append(escape(configId)).append("\"><path d=\"")
            .append(path).append("\" fill=\"none\" stroke=\"").append(color(series))
            .append("\" stroke-width=\"2\"");
        if (!dash(series).isEmpty()) {
          svg.append(" stroke-dasharray=\"").append(dash(series)).append('"');
        }
        svg.append("/>").append(markers).append("</g>\n");
      }
      series++;
    }
    legend(svg, byLayer.configIds(), right + 20);
    return svg.append("</svg>").toString();
  }

  private static void legend(StringBuilder svg, List<String> names, double left) {
    int rowHeight = 18;
    int maxRows = (HEIGHT - TOP - 10) / rowHeight;
    svg.append("<g class=\"legend\">");
    for (int i = 0; i < names.size() && i < maxRows; i++) {
      double rowY = TOP + 8 + i * rowHeight;
      boolean last = i == maxRows - 1 && names.size() > maxRows;
      if (last) {
        svg.append("<text x=\"").append(left).append("\" y=\"").append(rowY + 4).append("\">and ")
            .append(names.size() - i).append(" more (see the table)</text>");
        break;
      }
      svg.append("<line x1=\"").append(left).append("\" y1=\"").append(rowY).append("\" x2=\"").append(left + 24)
          .append("\" y2=\"").append(rowY).append("\" stroke=\"").append(color(i)).append("\" stroke-width=\"3\"");
      if (!dash(i).isEmpty()) {
        svg.append(" stroke-dasharray=\"").append(dash(i)).append('"');
      }
      svg.append("/><text x=\"").append(left + 30).append("\" y=\"").append(rowY + 4).append("\">")
          .append(escape(names.get(i))).append("</text>");
    }
    svg.append("</g>\n");
  }

  private static StringBuilder open(String id, String label) {
    return new StringBuilder("<svg id=\"").append(id).append("\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\"")
        .append(" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"")
        .append(escape(label)).append("\">\n");
  }

  private static String emptyNote() {
    return "<text x=\"" + (WIDTH / 2) + "\" y=\"" + (HEIGHT / 2) + "\" text-anchor=\"middle\" class=\"empty\">"
        + "No quantized tensors to plot</text>";
  }

  private static void frame(StringBuilder svg, ChartAxis x, ChartAxis y, double right, String xTitle, String yTitle) {
    double bottom = HEIGHT - BOTTOM;
    svg.append("<g class=\"grid\">");
    for (double tick : y.ticks()) {
      double py = y.pixel(tick);
      svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(coordinate(py)).append("\" x2=\"")
          .append(coordinate(right)).append("\" y2=\"").append(coordinate(py)).append("\"/>");
    }
    for (double tick : x.ticks()) {
      double px = x.pixel(tick);
      svg.append("<line x1=\"").append(coordinate(px)).append("\" y1=\"").append(TOP).append("\" x2=\"")
          .append(coordinate(px)).append("\" y2=\"").append(coordinate(bottom)).append("\"/>");
    }
    svg.append("</g>\n<g class=\"axis\">");
    svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(coordinate(bottom)).append("\" x2=\"")
        .append(coordinate(right)).append("\" y2=\"").append(coordinate(bottom)).append("\"/>");
    svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
        .append("\" y2=\"").append(coordinate(bottom)).append("\"/>");
    for (double tick : x.ticks()) {
      svg.append("<text class=\"tick\" x=\"").append(coordinate(x.pixel(tick))).append("\" y=\"")
          .append(coordinate(bottom + 18)).append("\" text-anchor=\"middle\">").append(number(tick, x.decimals()))
          .append("</text>");
    }
    for (double tick : y.ticks()) {
      svg.append("<text class=\"tick\" x=\"").append(LEFT - 8).append("\" y=\"").append(coordinate(y.pixel(tick) + 4))
          .append("\" text-anchor=\"end\">").append(number(tick, y.decimals())).append("</text>");
    }
    svg.append("<text class=\"axis-title\" x=\"").append(coordinate((LEFT + right) / 2)).append("\" y=\"")
        .append(HEIGHT - 12).append("\" text-anchor=\"middle\">").append(escape(xTitle)).append("</text>");
    svg.append("<text class=\"axis-title\" transform=\"translate(18,").append(coordinate((TOP + bottom) / 2))
        .append(") rotate(-90)\" text-anchor=\"middle\">").append(escape(yTitle)).append("</text>");
    svg.append("</g>\n");
  }
}
