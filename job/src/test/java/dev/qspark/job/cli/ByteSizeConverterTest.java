package dev.qspark.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ByteSizeConverterTest {

  private final ByteSizeConverter converter = new ByteSizeConverter();

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "8388608, 8388608",
    "1KiB, 1024",
    "8MiB, 8388608",
    "8mib, 8388608",
    "8MIB, 8388608",
    "8 MiB, 8388608",
    "2GiB, 2147483648",
    "8k, 8192",
    "8M, 8388608",
    "1g, 1073741824",
    "' 32MiB ', 33554432",
  })
  void convertsCountsAndBinarySuffixes(String value, long expectedBytes) {
    assertThat(converter.convert(value)).isEqualTo(expectedBytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MiB", "8MB", "8kb", "8 Mi", "8TiB", "1.5MiB", "-1", "8MiB8", "0x10"})
  void rejectsOtherText(String value) {
    assertThatThrownBy(() -> converter.convert(value))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + value + "' is not a byte size: expected a byte count or a count with a KiB, MiB or GiB"
            + " suffix, such as 8MiB");
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "8589934592GiB"})
  void rejectsSizesAboveLongRange(String value) {
    assertThatThrownBy(() -> converter.convert(value))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + value + "' is too large: the maximum is 9223372036854775807 bytes");
  }
}
