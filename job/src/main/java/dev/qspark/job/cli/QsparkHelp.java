package dev.qspark.job.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Picocli's usage help with two changes. The standard {@code -h} and {@code -V} options come after the
 * command's own options. The synopsis, description, header, footer and option and exit code lists never
 * wrap a line inside a dotted word such as {@code manifest.json}, {@code ~/.cache} or
 * {@code spark.qspark.torchao}, unless the word is wider than its column.
 *
 * <p>Picocli 4.7 wraps with {@link java.text.BreakIterator#getLineInstance()}, which allows a break
 * after any dot. Before text reaches picocli's wrapping, every dot that a non-space character follows
 * becomes {@link #DOT_PLACEHOLDER}, a character the break iterator keeps inside a word, and the rendered
 * text gets the dots back.
 */
final class QsparkHelp extends Help {

  /**
   * U+FDD0, a Unicode noncharacter, which Unicode reserves for a program's internal use. Help text that
   * contained it would print a dot in its place.
   */
  static final char DOT_PLACEHOLDER = '\uFDD0';

  private static final Pattern DOT_INSIDE_WORD = Pattern.compile("\\.(?=\\S)");

  QsparkHelp(CommandSpec spec, ColorScheme colorScheme) {
    super(spec, colorScheme);
  }

  @Override
  public Comparator<OptionSpec> createDefaultOptionSort() {
    Comparator<OptionSpec> standardLast = Comparator.comparing(QsparkHelp::isStandardHelpOption);
    Comparator<OptionSpec> picocliOrder = super.createDefaultOptionSort();
    return picocliOrder == null ? standardLast : standardLast.thenComparing(picocliOrder);
  }

  private static boolean isStandardHelpOption(OptionSpec option) {
    return option.usageHelp() || option.versionHelp();
  }

  @Override
  public Layout createDefaultLayout(
      List<OptionSpec> options, List<PositionalParamSpec> positionals, ColorScheme colorScheme) {
    Layout layout = super.createDefaultLayout(options, positionals, colorScheme);
    TextTable table = copyWithDotsKept(layout.textTable(), colorScheme);
    return new Layout(colorScheme, table, layout.optionRenderer(), layout.parameterRenderer());
  }

  @Override
  public TextTable createTextTable(Map<?, ?> map) {
    return copyWithDotsKept(super.createTextTable(map), colorScheme());
  }

  private TextTable copyWithDotsKept(TextTable table, ColorScheme colorScheme) {
    DotKeepingTextTable copy = new DotKeepingTextTable(colorScheme, table.columns());
    copy.indentWrappedLines = table.indentWrappedLines;
    copy.setAdjustLineBreaksForWideCJKCharacters(table.isAdjustLineBreaksForWideCJKCharacters());
    return copy;
  }

  @Override
  public String header(Object... params) {
    return joinKeepingDots(commandSpec().usageMessage().header(), params);
  }

  @Override
  public String description(Object... params) {
    return joinKeepingDots(commandSpec().usageMessage().description(), params);
  }

  @Override
  public String footer(Object... params) {
    return joinKeepingDots(commandSpec().usageMessage().footer(), params);
  }

  @Override
  public String customSynopsis(Object... params) {
    return joinKeepingDots(commandSpec().usageMessage().customSynopsis(), params);
  }

  private String joinKeepingDots(String[] lines, Object... params) {
    String[] protectedLines = new String[lines.length];
    for (int i = 0; i < lines.length; i++) {
      protectedLines[i] = protectDots(lines[i]);
    }
    StringBuilder joined = Help.join(ansi(), commandSpec().usageMessage().width(),
        commandSpec().usageMessage().adjustLineBreaksForWideCJKCharacters(), protectedLines, new StringBuilder(),
        params);
    return restoreDots(joined.toString());
  }

  @Override
  protected String makeSynopsisFromParts(int synopsisHeadingLength, Ansi.Text optionText, Ansi.Text groupsText,
      Ansi.Text endOfOptionsText, Ansi.Text positionalParamText, Ansi.Text commandText) {
    ColorScheme scheme = colorScheme();
    return restoreDots(super.makeSynopsisFromParts(synopsisHeadingLength, protectDots(optionText, scheme),
        protectDots(groupsText, scheme), protectDots(endOfOptionsText, scheme),
        protectDots(positionalParamText, scheme), protectDots(commandText, scheme)));
  }

  // NOTE: picocli wraps the command list (commandList) with a table of its own, which this class cannot
  // replace without rewriting the method. QsparkHelpTest checks that no current command list breaks a word.

  static String protectDots(String text) {
    return text == null ? null : DOT_INSIDE_WORD.matcher(text).replaceAll(String.valueOf(DOT_PLACEHOLDER));
  }

  static String restoreDots(String text) {
    return text.replace(DOT_PLACEHOLDER, '.');
  }

  /**
   * Returns {@code text} with each dot inside a word replaced by {@link #DOT_PLACEHOLDER}. Styles stay on
   * the other characters, but a replaced dot loses its own style, so with ANSI colors on it prints plain.
   */
  static Ansi.Text protectDots(Ansi.Text text, ColorScheme colorScheme) {
    if (text == null) {
      return null;
    }
    Matcher dot = DOT_INSIDE_WORD.matcher(text.plainString());
    if (!dot.find()) {
      return text;
    }
    Ansi.Text placeholder = colorScheme.text(String.valueOf(DOT_PLACEHOLDER));
    Ansi.Text result = text.substring(0, 0);
    int start = 0;
    do {
      result = result.concat(text.substring(start, dot.start())).concat(placeholder);
      start = dot.end();
    } while (dot.find());
    return result.concat(text.substring(start));
  }

  /** Text table that wraps its cells with dots kept inside words. */
  private static final class DotKeepingTextTable extends TextTable {

    private final ColorScheme colorScheme;

    DotKeepingTextTable(ColorScheme colorScheme, Column[] columns) {
      super(colorScheme, columns);
      this.colorScheme = colorScheme;
    }

    @Override
    public Cell putValue(int row, int col, Ansi.Text value) {
      return super.putValue(row, col, protectDots(value, colorScheme));
    }

    @Override
    public StringBuilder toString(StringBuilder text) {
      return text.append(restoreDots(super.toString(new StringBuilder()).toString()));
    }
  }
}
