package dev.qspark.kernels.config;

import java.io.Serializable;
import java.util.List;

/**
 * One Python expression of torchao's constructor syntax, as the parser read it.
 *
 * <p>{@link #source()} is the text of the expression as the user wrote it, whitespace trimmed, so
 * error messages can quote it.
 */
sealed interface ConfigExpression extends Serializable
    permits ConfigExpression.IntLiteral,
        ConfigExpression.StringLiteral,
        ConfigExpression.BoolLiteral,
        ConfigExpression.NoneLiteral,
        ConfigExpression.Name,
        ConfigExpression.Call {

  String source();

  /** An integer such as {@code 128} or {@code -1}. */
  record IntLiteral(long value, String source) implements ConfigExpression {}

  /** A string in single or double quotes, without the quotes. */
  record StringLiteral(String value, String source) implements ConfigExpression {}

  /** {@code True} or {@code False}. */
  record BoolLiteral(boolean value, String source) implements ConfigExpression {}

  /** {@code None}. */
  record NoneLiteral(String source) implements ConfigExpression {}

  /** A dotted name such as {@code torch.int4} or {@code MappingType.ASYMMETRIC}. */
  record Name(String dotted, String source) implements ConfigExpression {

    /** Returns the last component, e.g. {@code int4} for {@code torch.int4}. */
    String last() {
      return dotted.substring(dotted.lastIndexOf('.') + 1);
    }

    /** Everything before the last component, or an empty string for an undotted name. */
    String qualifier() {
      int dot = dotted.lastIndexOf('.');
      return dot < 0 ? "" : dotted.substring(0, dot);
    }
  }

  /** A call such as {@code PerGroup(32)} or {@code Int4WeightOnlyConfig(group_size=64)}. */
  record Call(String name, List<Argument> arguments, String source) implements ConfigExpression {

    /** Returns the call's name without a module prefix, e.g. {@code PerGroup} for {@code torchao.quantization.PerGroup}. */
    String simpleName() {
      return name.substring(name.lastIndexOf('.') + 1);
    }
  }

  /**
   * One argument of a call.
   *
   * @param keyword the keyword, or null for a positional argument
   * @param position the offset of the argument in the parsed text, counted from 0
   */
  record Argument(String keyword, ConfigExpression value, int position) implements Serializable {}
}
