package dev.qspark.kernels.config;

import dev.qspark.kernels.config.ConfigExpression.Argument;
import dev.qspark.kernels.config.ConfigExpression.BoolLiteral;
import dev.qspark.kernels.config.ConfigExpression.Call;
import dev.qspark.kernels.config.ConfigExpression.IntLiteral;
import dev.qspark.kernels.config.ConfigExpression.Name;
import dev.qspark.kernels.config.ConfigExpression.NoneLiteral;
import dev.qspark.kernels.config.ConfigExpression.StringLiteral;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the subset of Python that torchao config constructors are written in.
 *
 * <p>Accepted: one call {@code Name(arguments)} whose arguments are positional or {@code keyword=value};
 * values are integers (with an optional sign), strings in single or double quotes (backslash escapes the
 * next character), {@code True}, {@code False}, {@code None}, dotted names and nested calls. Whitespace
 * may appear between any two tokens and a trailing comma is allowed. Positions in error messages are
 * character offsets counted from 0.
 */
final class ConfigSyntaxParser {

  private final String text;
  private int position;

  private ConfigSyntaxParser(String text) {
    this.text = text;
  }

  /** Parses {@code text} as one call and rejects anything after it. */
  static Call parseCall(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidConfigException("Invalid config: the text is empty; expected e.g. Int4WeightOnlyConfig(group_size=128)");
    }
    ConfigSyntaxParser parser = new ConfigSyntaxParser(text);
    parser.skipWhitespace();
    int start = parser.position;
    ConfigExpression expression = parser.parseExpression();
    if (!(expression instanceof Call call)) {
      throw parser.error(start, "expected a config constructor call such as Int4WeightOnlyConfig(...)");
    }
    parser.skipWhitespace();
    if (parser.position < text.length()) {
      throw parser.error(parser.position, "expected the end of the text after the closing ')'");
    }
    return call;
  }

  private ConfigExpression parseExpression() {
    skipWhitespace();
    int start = position;
    if (position >= text.length()) {
      throw error(start, "expected a value");
    }
    char c = text.charAt(position);
    if (c == '"' || c == '\'') {
      return parseString();
    }
    if (Character.isDigit(c) || c == '-' || c == '+') {
      return parseInteger();
    }
    if (Character.isJavaIdentifierStart(c)) {
      return parseNameOrCall();
    }
    throw error(start, "expected a value (a number, a string, True, False, None, a name or a call)");
  }

  private ConfigExpression parseNameOrCall() {
    int start = position;
    StringBuilder dotted = new StringBuilder(readIdentifier());
    while (peekAfterWhitespace() == '.') {
      skipWhitespace();
      position++;
      skipWhitespace();
      if (position >= text.length() || !Character.isJavaIdentifierStart(text.charAt(position))) {
        throw error(position, "expected a name after '.'");
      }
      dotted.append('.').append(readIdentifier());
    }
    String name = dotted.toString();
    if (peekAfterWhitespace() == '(') {
      skipWhitespace();
      position++;
      List<Argument> arguments = parseArguments();
      return new Call(name, List.copyOf(arguments), text.substring(start, position));
    }
    String source = text.substring(start, position);
    switch (name) {
      case "True":
        return new BoolLiteral(true, source);
      case "False":
        return new BoolLiteral(false, source);
      case "None":
        return new NoneLiteral(source);
      default:
        return new Name(name, source);
    }
  }

  /** Parses the arguments after an opening parenthesis, up to and including the closing one. */
  private List<Argument> parseArguments() {
    List<Argument> arguments = new ArrayList<>();
    while (true) {
      skipWhitespace();
      if (position >= text.length()) {
        throw error(position, "expected ')' to close the call");
      }
      if (text.charAt(position) == ')') {
        position++;
        return arguments;
      }
      arguments.add(parseArgument());
      skipWhitespace();
      if (position >= text.length()) {
        throw error(position, "expected ',' or ')'");
      }
      char c = text.charAt(position);
      if (c == ',') {
        position++;
      } else if (c != ')') {
        throw error(position, "expected ',' or ')'");
      }
    }
  }

  private Argument parseArgument() {
    int start = position;
    if (Character.isJavaIdentifierStart(text.charAt(position))) {
      int afterName = position;
      while (afterName < text.length() && Character.isJavaIdentifierPart(text.charAt(afterName))) {
        afterName++;
      }
      int equals = afterName;
      while (equals < text.length() && Character.isWhitespace(text.charAt(equals))) {
        equals++;
      }
      boolean isKeyword = equals < text.length() && text.charAt(equals) == '='
          && (equals + 1 >= text.length() || text.charAt(equals + 1) != '=');
      if (isKeyword) {
        String keyword = text.substring(start, afterName);
        position = equals + 1;
        return new Argument(keyword, parseExpression(), start);
      }
    }
    return new Argument(null, parseExpression(), start);
  }

  private ConfigExpression parseInteger() {
    int start = position;
    if (text.charAt(position) == '-' || text.charAt(position) == '+') {
      position++;
      skipWhitespace();
    }
    int digitsStart = position;
    while (position < text.length() && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '_')) {
      position++;
    }
    if (digitsStart == position || text.charAt(digitsStart) == '_') {
      throw error(digitsStart, "expected digits");
    }
    if (position < text.length()
        && (text.charAt(position) == '.' || Character.isJavaIdentifierPart(text.charAt(position)))) {
      throw error(position, "expected an integer; fractional numbers and number suffixes are not accepted");
    }
    String source = text.substring(start, position);
    String digits = source.replace("_", "").replaceAll("\\s", "");
    try {
      return new IntLiteral(Long.parseLong(digits), source);
    } catch (NumberFormatException e) {
      throw error(start, "the integer " + source + " is out of range");
    }
  }

  private ConfigExpression parseString() {
    int start = position;
    char quote = text.charAt(position++);
    StringBuilder value = new StringBuilder();
    while (position < text.length() && text.charAt(position) != quote) {
      char c = text.charAt(position++);
      if (c == '\\' && position < text.length()) {
        c = text.charAt(position++);
      }
      value.append(c);
    }
    if (position >= text.length()) {
      throw new InvalidConfigException("Invalid config syntax at position " + start + ": the string that starts there "
          + "has no closing " + quote + " in: " + text.strip());
    }
    position++;
    return new StringLiteral(value.toString(), text.substring(start, position));
  }

  private String readIdentifier() {
    int start = position;
    while (position < text.length() && Character.isJavaIdentifierPart(text.charAt(position))) {
      position++;
    }
    return text.substring(start, position);
  }

  private char peekAfterWhitespace() {
    int next = position;
    while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
      next++;
    }
    return next < text.length() ? text.charAt(next) : '\0';
  }

  private void skipWhitespace() {
    while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
      position++;
    }
  }

  private InvalidConfigException error(int at, String expectation) {
    String found = at < text.length() ? "'" + text.charAt(at) + "'" : "the end of the text";
    return new InvalidConfigException(
        "Invalid config syntax at position " + at + ": " + expectation + " but found " + found + " in: " + text.strip());
  }
}
