package dev.qspark.kernels.config;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.config.ConfigExpression.Argument;
import dev.qspark.kernels.config.ConfigExpression.BoolLiteral;
import dev.qspark.kernels.config.ConfigExpression.Call;
import dev.qspark.kernels.config.ConfigExpression.IntLiteral;
import dev.qspark.kernels.config.ConfigExpression.Name;
import dev.qspark.kernels.config.ConfigExpression.NoneLiteral;
import dev.qspark.kernels.config.ConfigExpression.StringLiteral;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The arguments of one config constructor call, bound to the fields of a torchao release, with typed
 * getters that fall back to the field's default and name the field and value in every error.
 *
 * <p>Positional arguments bind to the fields in declaration order, as a Python dataclass does.
 */
final class ConfigArguments {

  private final String className;
  private final Map<String, ConfigExpression> byField;

  private ConfigArguments(String className, Map<String, ConfigExpression> byField) {
    this.className = className;
    this.byField = byField;
  }

  /**
   * Binds the arguments of {@code call} to the fields {@code fieldsOf} returns for {@code release}.
   *
   * @throws InvalidConfigException for unknown or repeated fields, too many positional arguments, or a
   *     positional argument after a keyword argument
   */
  static ConfigArguments bind(
      Call call, String className, TorchaoRelease release, Function<TorchaoRelease, List<String>> fieldsOf) {
    List<String> fields = fieldsOf.apply(release);
    Map<String, ConfigExpression> byField = new LinkedHashMap<>();
    boolean keywordSeen = false;
    int positionalIndex = 0;
    for (Argument argument : call.arguments()) {
      String field;
      if (argument.keyword() == null) {
        if (keywordSeen) {
          throw new InvalidConfigException("Invalid " + className + ": the positional argument "
              + argument.value().source() + " follows a keyword argument; write it as field=value");
        }
        if (positionalIndex >= fields.size()) {
          throw new InvalidConfigException("Invalid " + className + ": too many positional arguments; torchao "
              + release + " declares " + fields.size() + " fields: " + String.join(", ", fields));
        }
        field = fields.get(positionalIndex++);
      } else {
        keywordSeen = true;
        field = argument.keyword();
        if (!fields.contains(field)) {
          throw unknownField(className, field, release, fieldsOf);
        }
      }
      if (byField.putIfAbsent(field, argument.value()) != null) {
        throw new InvalidConfigException("Invalid " + className + ": field " + field + " is given twice");
      }
    }
    return new ConfigArguments(className, byField);
  }

  private static InvalidConfigException unknownField(
      String className, String field, TorchaoRelease release, Function<TorchaoRelease, List<String>> fieldsOf) {
    List<String> releasesWithField = Arrays.stream(TorchaoRelease.values())
        .filter(other -> fieldsOf.apply(other).contains(field))
        .map(TorchaoRelease::label)
        .collect(Collectors.toList());
    if (!releasesWithField.isEmpty()) {
      return new InvalidConfigException("Invalid " + className + ": field " + field + " does not exist in torchao "
          + release + "; it exists in torchao " + String.join(", ", releasesWithField));
    }
    return new InvalidConfigException("Invalid " + className + ": unknown field " + field + "; torchao " + release
        + " declares " + String.join(", ", fieldsOf.apply(release)));
  }

  boolean has(String field) {
    return byField.containsKey(field);
  }

  /** Returns the source text of a field for messages, or null when the field was not given. */
  String source(String field) {
    ConfigExpression expression = byField.get(field);
    return expression == null ? null : expression.source();
  }

  int integer(String field, int defaultValue) {
    Integer value = integerOrNone(field, defaultValue, false);
    return value;
  }

  Integer integerOrNone(String field, Integer defaultValue) {
    return integerOrNone(field, defaultValue, true);
  }

  private Integer integerOrNone(String field, Integer defaultValue, boolean noneAllowed) {
    ConfigExpression expression = byField.get(field);
    if (expression == null) {
      return defaultValue;
    }
    if (noneAllowed && expression instanceof NoneLiteral) {
      return null;
    }
    if (expression instanceof IntLiteral literal
        && literal.value() >= Integer.MIN_VALUE && literal.value() <= Integer.MAX_VALUE) {
      return (int) literal.value();
    }
    throw invalid(field, expression, noneAllowed ? "expected an integer or None" : "expected an integer");
  }

  boolean bool(String field, boolean defaultValue) {
    return boolOrNone(field, defaultValue, false);
  }

  Boolean boolOrNone(String field, Boolean defaultValue) {
    return boolOrNone(field, defaultValue, true);
  }

  private Boolean boolOrNone(String field, Boolean defaultValue, boolean noneAllowed) {
    ConfigExpression expression = byField.get(field);
    if (expression == null) {
      return defaultValue;
    }
    if (noneAllowed && expression instanceof NoneLiteral) {
      return null;
    }
    if (expression instanceof BoolLiteral literal) {
      return literal.value();
    }
    throw invalid(field, expression, noneAllowed ? "expected True, False or None" : "expected True or False");
  }

  /** Reads a torchao str-Enum given as {@code EnumClass.NAME}, {@code "value"} or {@code "NAME"}. */
  <E extends Enum<E> & TorchaoStringEnum> E stringEnum(String field, Class<E> type, String enumClassName, E defaultValue) {
    ConfigExpression expression = byField.get(field);
    if (expression == null) {
      return defaultValue;
    }
    String text = enumText(field, expression, enumClassName);
    for (E constant : type.getEnumConstants()) {
      if (constant.value().equals(text) || constant.name().equals(text)) {
        return constant;
      }
    }
    String expected = Arrays.stream(type.getEnumConstants())
        .map(constant -> "\"" + constant.value() + "\"")
        .collect(Collectors.joining(", "));
    throw unsupported(field, expression, "expected one of " + expected);
  }

  /** Reads a plain enum given as {@code EnumClass.NAME}, {@code NAME} or {@code "NAME"}. */
  <E extends Enum<E>> E plainEnum(String field, Class<E> type, String enumClassName, E defaultValue) {
    ConfigExpression expression = byField.get(field);
    if (expression == null) {
      return defaultValue;
    }
    String text = enumText(field, expression, enumClassName);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(text)) {
        return constant;
      }
    }
    String expected = Arrays.stream(type.getEnumConstants())
        .map(constant -> enumClassName + "." + constant.name())
        .collect(Collectors.joining(", "));
    throw unsupported(field, expression, "expected one of " + expected);
  }

  private String enumText(String field, ConfigExpression expression, String enumClassName) {
    if (expression instanceof StringLiteral literal) {
      return literal.value();
    }
    if (expression instanceof Name name) {
      String qualifier = name.qualifier();
      if (qualifier.isEmpty() || qualifier.equals(enumClassName) || qualifier.endsWith("." + enumClassName)) {
        return name.last();
      }
    }
    throw invalid(field, expression, "expected " + enumClassName + ".<NAME> or a string");
  }

  /**
   * Reads an integer dtype such as {@code torch.int4}, {@code int4} or {@code "int4"} and returns its bit
   * width; {@code prefix} is {@code int} or {@code uint}. The caller checks the range.
   */
  int integerDtypeBits(String field, String prefix, int defaultBits, String expectation) {
    ConfigExpression expression = byField.get(field);
    if (expression == null) {
      return defaultBits;
    }
    String name = dtypeName(expression);
    if (name != null && name.startsWith(prefix) && name.length() > prefix.length()
        && name.length() <= prefix.length() + 3
        && name.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
      return Integer.parseInt(name.substring(prefix.length()));
    }
    throw unsupported(field, expression, expectation);
  }

  /** Reads {@code torch.float32}, {@code torch.bfloat16}, {@code torch.float16} (or the aliases float and half) or None. */
  FloatDtype floatDtypeOrNone(String field, FloatDtype defaultValue) {
    ConfigExpression expression = byField.get(field);
    if (expression == null || expression instanceof NoneLiteral) {
      return expression == null ? defaultValue : null;
    }
    String name = dtypeName(expression);
    if (name != null) {
      switch (name) {
        case "float32":
        case "float":
          return FloatDtype.FLOAT32;
        case "bfloat16":
          return FloatDtype.BFLOAT16;
        case "float16":
        case "half":
          return FloatDtype.FLOAT16;
        default:
          break;
      }
    }
    throw unsupported(field, expression, "expected None, torch.float32, torch.bfloat16 or torch.float16");
  }

  private static String dtypeName(ConfigExpression expression) {
    String text = null;
    if (expression instanceof Name name) {
      text = name.dotted();
    } else if (expression instanceof StringLiteral literal) {
      text = literal.value().strip();
    }
    if (text == null) {
      return null;
    }
    if (text.startsWith("torch.")) {
      text = text.substring("torch.".length());
    }
    return text.contains(".") ? null : text;
  }

  /**
   * Reads a granularity: {@code PerGroup(n)}, {@code PerGroup(group_size=n)}, {@code PerAxis(n)},
   * {@code PerAxis(axis=n)}, {@code PerRow()}, {@code PerRow(dim=-1)} or {@code PerTensor()}, and None
   * where {@code noneAllowed}.
   */
  Granularity granularity(String field, Granularity defaultValue, boolean noneAllowed) {
    ConfigExpression expression = byField.get(field);
    if (expression == null) {
      return defaultValue;
    }
    if (noneAllowed && expression instanceof NoneLiteral) {
      return null;
    }
    if (!(expression instanceof Call call)) {
      throw invalid(field, expression, "expected PerGroup(n), PerAxis(0), PerRow() or PerTensor()");
    }
    switch (call.simpleName()) {
      case "PerGroup": {
        long groupSize = singleIntegerArgument(field, call, "group_size", null);
        if (groupSize <= 0 || groupSize > Integer.MAX_VALUE) {
          throw unsupported(field, call, "expected a positive group size");
        }
        return new Granularity.PerGroup((int) groupSize);
      }
      case "PerAxis": {
        long axis = singleIntegerArgument(field, call, "axis", null);
        if (axis < Integer.MIN_VALUE || axis > Integer.MAX_VALUE) {
          throw unsupported(field, call, "expected PerAxis(0)");
        }
        return new Granularity.PerAxis((int) axis);
      }
      case "PerRow": {
        long dim = singleIntegerArgument(field, call, "dim", -1L);
        if (dim != -1) {
          throw unsupported(field, call, "expected PerRow() or PerRow(dim=-1): the scale is per output row");
        }
        return new Granularity.PerRow();
      }
      case "PerTensor":
        if (!call.arguments().isEmpty()) {
          throw invalid(field, call, "expected PerTensor() without arguments");
        }
        return new Granularity.PerTensor();
      default:
        throw unsupported(field, call, "expected PerGroup(n), PerAxis(0), PerRow() or PerTensor()");
    }
  }

  /** Reads the one integer argument of a granularity call, positional or by {@code keyword}. */
  private long singleIntegerArgument(String field, Call call, String keyword, Long defaultValue) {
    List<Argument> arguments = call.arguments();
    if (arguments.isEmpty() && defaultValue != null) {
      return defaultValue;
    }
    if (arguments.size() != 1) {
      throw invalid(field, call, "expected " + call.simpleName() + "(" + keyword + ") with one integer");
    }
    Argument argument = arguments.get(0);
    boolean keywordMatches = argument.keyword() == null || argument.keyword().equals(keyword);
    if (!keywordMatches || !(argument.value() instanceof IntLiteral literal)) {
      throw invalid(field, call, "expected " + call.simpleName() + "(" + keyword + ") with one integer");
    }
    return literal.value();
  }

  /** Returns the call given for a layout-like field, or null when the field was not given. */
  Call call(String field, String expectation) {
    ConfigExpression expression = byField.get(field);
    if (expression == null) {
      return null;
    }
    if (expression instanceof Call call) {
      return call;
    }
    throw unsupported(field, expression, expectation);
  }

  /** Reads the only argument of a nested call such as a layout, given by position or as {@code keyword}. */
  int callInteger(String field, Call call, String keyword, int defaultValue) {
    if (call.arguments().isEmpty()) {
      return defaultValue;
    }
    Argument argument = call.arguments().get(0);
    boolean keywordMatches = argument.keyword() == null || argument.keyword().equals(keyword);
    if (call.arguments().size() > 1 || !keywordMatches) {
      throw invalid(field, call, "expected at most the argument " + keyword);
    }
    if (argument.value() instanceof IntLiteral literal
        && literal.value() >= Integer.MIN_VALUE && literal.value() <= Integer.MAX_VALUE) {
      return (int) literal.value();
    }
    throw invalid(field, call, "expected " + keyword + " to be an integer");
  }

  InvalidConfigException invalid(String field, ConfigExpression expression, String expectation) {
    return new InvalidConfigException(
        "Invalid " + className + ": " + field + "=" + expression.source() + " is invalid; " + expectation);
  }

  InvalidConfigException unsupported(String field, ConfigExpression expression, String expectation) {
    return InvalidConfigException.unsupported(className, field, expression.source(), expectation);
  }
}
