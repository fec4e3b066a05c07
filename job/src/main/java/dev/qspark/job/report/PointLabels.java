package dev.qspark.job.report;

import static dev.qspark.job.report.Html.coordinate;
import static dev.qspark.job.report.Html.escape;

import java.util.ArrayList;
import java.util.List;

/**
 * Places text labels next to chart points so that no two labels overlap and no label covers a
 * point. Each label tries spots right and left of its point, moving further up and down, and takes
 * the first free spot inside the plot area. Text width is estimated from the character count,
 * because the SVG is written without measuring fonts.
 */
final class PointLabels {

  /** A point on the chart that labels must not cover, in pixels. */
  record Point(double x, double y) {}

  private record Box(double left, double top, double right, double bottom) {
    boolean overlaps(Box other) {
      return left < other.right && other.left < right && top < other.bottom && other.top < bottom;
    }

    boolean covers(Point point, double radius) {
      return point.x() + radius > left && point.x() - radius < right
          && point.y() + radius > top && point.y() - radius < bottom;
    }
  }

  private static final double POINT_RADIUS = 6;
  private static final double GAP = 9;
  private static final int MAX_LINE_CHARS = 34;
  private static final int MAX_SHIFTS = 12;

  private final double plotLeft;
  private final double plotTop;
  private final double plotRight;
  private final double plotBottom;
  private final List<Point> points;
  private final List<Box> placed = new ArrayList<>();
  private final StringBuilder svg = new StringBuilder();

  PointLabels(double plotLeft, double plotTop, double plotRight, double plotBottom, List<Point> points) {
    this.plotLeft = plotLeft;
    this.plotTop = plotTop;
    this.plotRight = plotRight;
    this.plotBottom = plotBottom;
    this.points = List.copyOf(points);
  }

  /**
   * Adds a label for the point at ({@code x}, {@code y}), split into lines of at most about 34
   * characters at ", ". Labels added first get the spots closest to their points.
   *
   * @param cssClass the class of the text element, which sets its font
   * @param charWidth estimated pixels per character of that font
   * @param lineHeight pixels per line of that font
   */
  void add(double x, double y, String text, String cssClass, double charWidth, double lineHeight) {
    List<String> lines = wrap(text);
    int longest = 0;
    for (String line : lines) {
      longest = Math.max(longest, line.length());
    }
    double width = longest * charWidth;
    double height = lines.size() * lineHeight;

    Box chosen = null;
    for (int shift = 0; shift <= MAX_SHIFTS && chosen == null; shift++) {
      // Shifts 0, 1, 2, ... move the label's middle to 0, -1, +1, -2, +2, ... line heights from the point.
      double offset = (shift % 2 == 1 ? -1 : 1) * ((shift + 1) / 2) * lineHeight;
      double top = y - height / 2 + offset;
      for (double left : new double[] {x + GAP, x - GAP - width}) {
        Box box = new Box(left, top, left + width, top + height);
        if (isFree(box)) {
          chosen = box;
          break;
        }
      }
    }
    if (chosen == null) {
      // NOTE: with no free spot the label goes right of its point and may overlap another label.
      double left = Math.min(x + GAP, plotRight - width);
      chosen = new Box(left, y - height / 2, left + width, y + height / 2);
    }
    placed.add(chosen);

    double middleY = (chosen.top() + chosen.bottom()) / 2;
    if (Math.abs(middleY - y) > lineHeight) {
      double lineX = chosen.left() > x ? chosen.left() - 2 : chosen.right() + 2;
      svg.append("<line class=\"label-leader\" x1=\"").append(coordinate(x)).append("\" y1=\"").append(coordinate(y))
          .append("\" x2=\"").append(coordinate(lineX)).append("\" y2=\"").append(coordinate(middleY)).append("\"/>");
    }
    svg.append("<text class=\"").append(cssClass).append("\" x=\"").append(coordinate(chosen.left())).append("\">");
    for (int i = 0; i < lines.size(); i++) {
      // The baseline sits about a quarter line above the bottom of each line's box.
      double baseline = chosen.top() + (i + 0.75) * lineHeight;
      svg.append("<tspan x=\"").append(coordinate(chosen.left())).append("\" y=\"").append(coordinate(baseline))
          .append("\">").append(escape(lines.get(i))).append("</tspan>");
    }
    svg.append("</text>\n");
  }

  /** Returns the SVG elements of the labels added so far. */
  String svg() {
    return svg.toString();
  }

  private boolean isFree(Box box) {
    if (box.left() < plotLeft || box.right() > plotRight || box.top() < plotTop || box.bottom() > plotBottom) {
      return false;
    }
    for (Box other : placed) {
      if (box.overlaps(other)) {
        return false;
      }
    }
    for (Point point : points) {
      if (box.covers(point, POINT_RADIUS)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> wrap(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String part : text.split(", ")) {
      if (line.length() > 0 && line.length() + 2 + part.length() > MAX_LINE_CHARS) {
        lines.add(line.append(',').toString());
        line.setLength(0);
      } else if (line.length() > 0) {
        line.append(", ");
      }
      line.append(part);
    }
    lines.add(line.toString());
    return lines;
  }
}
