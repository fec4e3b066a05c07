package dev.qspark.job.report;

import java.util.Locale;

/** Escaping and number formatting for the report's HTML and SVG. */
final class Html {

  private Html() {}

  /** Escapes text for an HTML or SVG element body or a quoted attribute value. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Formats a number with {@code decimals} digits after the point; NaN as an en dash, infinity as ∞. */
  static String number(double value, int decimals) {
    if (Double.isNaN(value)) {
      return "\u2013";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "\u221e" : "\u2212\u221e";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  /** Formats a share in [0, 1] as a percentage with one decimal. */
  static String percent(double share) {
    return Double.isNaN(share) ? "\u2013" : String.format(Locale.ROOT, "%.1f %%", share * 100);
  }

  /** Formats a byte count in the largest unit that keeps it at or above 1 (B, KiB, MiB, GiB). */
  static String bytes(long count) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = count;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? count + " B" : String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
  }

  /** Formats an SVG coordinate with two decimals. */
  static String coordinate(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
