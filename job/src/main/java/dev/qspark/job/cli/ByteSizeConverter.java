package dev.qspark.job.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converter of byte size options: a byte count such as {@code 8388608}, or a count with a binary suffix,
 * {@code KiB}, {@code MiB} or {@code GiB}, or Spark's shorter {@code k}, {@code m} or {@code g} for the
 * same units. Suffixes ignore case, and a space may separate them from the count.
 */
final class ByteSizeConverter implements ITypeConverter<Long> {

  private static final Pattern SIZE = Pattern.compile("(\\d+) ?([kmg](?:ib)?)?", Pattern.CASE_INSENSITIVE);

  @Override
  public Long convert(String value) {
    Matcher size = SIZE.matcher(value.strip());
    if (!size.matches()) {
      throw new TypeConversionException("'" + value + "' is not a byte size: expected a byte count or a"
          + " count with a KiB, MiB or GiB suffix, such as 8MiB");
    }
    String suffix = size.group(2) == null ? "" : size.group(2).toLowerCase(Locale.ROOT);
    int shift = switch (suffix.isEmpty() ? ' ' : suffix.charAt(0)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    try {
      long count = Long.parseLong(size.group(1));
      return Math.multiplyExact(count, 1L << shift);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new TypeConversionException("'" + value + "' is too large: the maximum is " + Long.MAX_VALUE
          + " bytes");
    }
  }
}
