package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Quantizers travel to Spark executors by Java serialization and must quantize the same there. */
class QuantizerSerializationTest {

  static Stream<WeightQuantizer> quantizers() {
    return FormatQuantizers.all().stream();
  }

  @ParameterizedTest
  @MethodSource("quantizers")
  void copyQuantizesIdentically(WeightQuantizer quantizer) throws IOException, ClassNotFoundException {
    Random random = new Random(77);
    float[] values = new float[3 * 64];
    for (int i = 0; i < values.length; i++) {
      values[i] = FloatDtype.roundToBfloat16((float) random.nextGaussian() * 0.02f);
    }
    WeightBlock block = WeightBlock.wholeTensor(values, 3, 64, FloatDtype.BFLOAT16);

    WeightQuantizer copy = roundTrip(quantizer);
    QuantizedBlock expected = quantizer.quantize(block, null);
    QuantizedBlock actual = copy.quantize(block, null);

    assertThat(copy.getClass()).isEqualTo(quantizer.getClass());
    assertThat(actual.qdata()).containsExactly(expected.qdata());
    assertThat(actual.scale()).containsExactly(expected.scale());
  }

  private static WeightQuantizer roundTrip(WeightQuantizer quantizer) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(quantizer);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (WeightQuantizer) in.readObject();
    }
  }
}
