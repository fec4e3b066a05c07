package dev.qspark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBlockReaderTest {

  private static final Configuration CONF = new Configuration();

  @TempDir Path folder;

  /** Computes the value of binary16 bits in double arithmetic from the IEEE 754 definition. */
  private static double f16Definition(int bits) {
    int sign = (bits >> 15) & 1;
    int exponent = (bits >> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    double magnitude =
        exponent == 0
            ? Math.scalb((double) mantissa, -24)
            : Math.scalb(1.0 + mantissa / 1024.0, exponent - 15);
    return sign == 1 ? -magnitude : magnitude;
  }

  @Test
  void f16DecodingExactForAllBitPatterns() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float decoded = FloatDecoding.f16ToFloat(bits);
      int exponent = (bits >> 10) & 0x1f;
      int mantissa = bits & 0x3ff;
      if (exponent == 0x1f && mantissa == 0) {
        assertThat(decoded).isEqualTo((bits & 0x8000) == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
      } else if (exponent == 0x1f) {
        assertThat(decoded).isNaN();
      } else if (Float.floatToRawIntBits(decoded) != Float.floatToRawIntBits((float) f16Definition(bits))) {
        throw new AssertionError("f16 bits " + Integer.toHexString(bits) + " decoded to " + decoded
            + " but are " + f16Definition(bits));
      }
    }
  }

  @Test
  void negativeZeroKeepsItsSign() {
    assertThat(Float.floatToRawIntBits(FloatDecoding.f16ToFloat(0x8000))).isEqualTo(0x80000000);
    assertThat(Float.floatToRawIntBits(FloatDecoding.bf16ToFloat(0x8000))).isEqualTo(0x80000000);
  }

  @Test
  void bf16KnownValues() {
    assertThat(FloatDecoding.bf16ToFloat(0x3f80)).isEqualTo(1.0f);
    assertThat(FloatDecoding.bf16ToFloat(0xc000)).isEqualTo(-2.0f);
    assertThat(FloatDecoding.bf16ToFloat(0x3e20)).isEqualTo(0.15625f);
    assertThat(FloatDecoding.bf16ToFloat(0x7f80)).isEqualTo(Float.POSITIVE_INFINITY);
  }

  private void writeF16AndF32(Path file) throws IOException {
    ByteBuffer f16 = ByteBuffer.allocate(2 * 3 * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short bits : new short[] {0x3c00, (short) 0xc000, 0x3555, 0x0001, 0x7bff, (short) 0xfc00}) {
      f16.putShort(bits);
    }
    ByteBuffer f32 = ByteBuffer.allocate(5 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : new float[] {1.5f, -0.0f, Float.MIN_VALUE, 3e38f, 7f}) {
      f32.putFloat(value);
    }
    SafetensorsFixture.write(
        folder,
        file.getFileName().toString(),
        new SafetensorsFixture.Builder()
            .add("half", "F16", new long[] {2, 3}, f16.array())
            .add("single", "F32", new long[] {5}, f32.array())
            .add("ids", "I64", new long[] {2}, new byte[16])
            .build());
  }

  @Test
  void readsF16AndF32Rows() throws IOException {
    Path file = folder.resolve("mixed.safetensors");
    writeF16AndF32(file);
    Checkpoint checkpoint = Checkpoint.open(file.toString(), CONF, CheckpointOptions.DEFAULT);

    try (TensorBlockReader reader = new TensorBlockReader(file.toString(), CONF)) {
      TensorEntry half = checkpoint.tensor("half").orElseThrow();
      assertThat(reader.readRows(half, 0, 2))
          .containsExactly(1.0f, -2.0f, 0.33325195f, 0x1p-24f, 65504f, Float.NEGATIVE_INFINITY);
      assertThat(reader.readRows(half, 1, 1)).containsExactly(0x1p-24f, 65504f, Float.NEGATIVE_INFINITY);

      TensorEntry single = checkpoint.tensor("single").orElseThrow();
      assertThat(single.rowCount()).isEqualTo(1);
      assertThat(reader.readRows(single, 0, 1)).containsExactly(1.5f, -0.0f, Float.MIN_VALUE, 3e38f, 7f);

      float[] reused = new float[10];
      assertThat(reader.readRows(half, 1, 1, reused)).isEqualTo(3);
      assertThat(reused).startsWith(0x1p-24f, 65504f, Float.NEGATIVE_INFINITY);

      TensorEntry ids = checkpoint.tensor("ids").orElseThrow();
      assertThat(reader.readRowBytes(ids, 0, 1)).hasSize(16);
      assertThatThrownBy(() -> reader.readRows(ids, 0, 1))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessage("Cannot read rows of tensor ids as floats: its dtype is I64 and only F32, BF16"
              + " and F16 are decoded");
    }
  }

  @Test
  void rejectsRowsOutOfRange() throws IOException {
    Path file = new SafetensorsFixture.Builder().addBf16("w", 4, 2).write(folder, "w.safetensors");
    TensorEntry w = Checkpoint.open(file.toString(), CONF, CheckpointOptions.DEFAULT).tensor("w").orElseThrow();

    try (TensorBlockReader reader = new TensorBlockReader(file.toString(), CONF)) {
      assertThat(reader.readRows(w, 4, 0)).isEmpty();
      assertThatThrownBy(() -> reader.readRows(w, 3, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot read rows [3, 5) of tensor w: it has 4 rows");
      assertThatThrownBy(() -> reader.readRows(w, -1, 1))
          .hasMessage("Cannot read rows [-1, 0) of tensor w: it has 4 rows");
      assertThatThrownBy(() -> reader.readRows(w, 0, 2, new float[3]))
          .hasMessage("Cannot read 4 values of tensor w into a buffer of 3");
    }
  }

  @Test
  void rejectsTensorOfAnotherFile() throws IOException {
    Path first = new SafetensorsFixture.Builder().addBf16("w", 1, 1).write(folder, "a.safetensors");
    Path second = new SafetensorsFixture.Builder().addBf16("w", 1, 1).write(folder, "b.safetensors");
    TensorEntry w = Checkpoint.open(first.toString(), CONF, CheckpointOptions.DEFAULT).tensor("w").orElseThrow();

    try (TensorBlockReader reader = new TensorBlockReader(second.toString(), CONF)) {
      assertThatThrownBy(() -> reader.readRows(w, 0, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Cannot read tensor w from file:" + second.toAbsolutePath() + ": it is in file:"
              + first.toAbsolutePath());
    }
  }

  @Test
  void entryIsSerializable() throws Exception {
    TensorEntry entry = new TensorEntry("file:/m.safetensors", "w", Dtype.BF16, new long[] {4, 8}, 100, 164);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(entry);
    }
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(entry);
    }
    assertThat(entry.rowCount()).isEqualTo(4);
    assertThat(entry.rowLength()).isEqualTo(8);
  }
}
