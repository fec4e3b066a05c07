package dev.qspark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafetensorsHeaderTest {

  @TempDir Path folder;

  /** The start of each message: checkpoint errors name the file by the path given to Checkpoint.open. */
  private String prefix() {
    return "Cannot read " + folder.resolve("bad.safetensors") + ": ";
  }

  private Checkpoint open(byte[] bytes, CheckpointOptions options) throws IOException {
    Path path = SafetensorsFixture.write(folder, "bad.safetensors", bytes);
    return Checkpoint.open(path.toString(), new Configuration(), options);
  }

  private Checkpoint open(byte[] bytes) throws IOException {
    return open(bytes, CheckpointOptions.DEFAULT);
  }

  private void assertRejected(String header, int dataBytes, String expectedReason) {
    assertRejected(SafetensorsFixture.file(header, dataBytes), expectedReason);
  }

  private void assertRejected(byte[] bytes, String expectedReason) {
    assertThatThrownBy(() -> open(bytes))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(prefix() + expectedReason);
  }

  private static String tensor(String name, String dtype, String shape, String offsets) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
        + ",\"data_offsets\":" + offsets + "}";
  }

  @Test
  void fileShorterThanLengthPrefix() {
    assertRejected(
        new byte[] {1, 2, 3},
        "the file is 3 bytes long but a safetensors file starts with an 8-byte header length");
  }

  @Test
  void headerLengthZero() {
    assertRejected(
        SafetensorsFixture.file(0, new byte[0], new byte[16]),
        "header length is 0 but the header must be a JSON object of at least 2 bytes");
  }

  @Test
  void headerLengthLargerThanFile() {
    assertRejected(
        SafetensorsFixture.file(100, "{}".getBytes(StandardCharsets.UTF_8), new byte[8]),
        "header length 100 is larger than the file, which holds 10 bytes after the 8-byte length"
            + " prefix, so the file is truncated or not a safetensors file");
  }

  @Test
  void headerLengthOfTextFileRejectedAsNotSafetensors() {
    // The first 8 bytes of a JSON file such as config.json, read as a little-endian length.
    byte[] json = "{\n  \"architectures\": [\"LlamaForCausalLM\"]\n}\n".getBytes(StandardCharsets.UTF_8);
    assertRejected(
        json,
        "header length 7165896756295633531 is larger than the file, which holds "
            + (json.length - 8)
            + " bytes after the 8-byte length prefix, so the file is truncated or not a safetensors"
            + " file");
  }

  @Test
  void headerLengthWithTopBitSetIsUnsigned() {
    assertRejected(
        SafetensorsFixture.file(-1L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]),
        "header length 18446744073709551615 is larger than the file, which holds 2 bytes after the"
            + " 8-byte length prefix, so the file is truncated or not a safetensors file");
  }

  @Test
  void headerLengthAboveConfiguredCap() throws IOException {
    byte[] bytes = SafetensorsFixture.file("{\"__metadata__\":{\"a\":\"b\"}}", 0);
    CheckpointOptions small = CheckpointOptions.DEFAULT.withMaxHeaderBytes(16);
    assertThatThrownBy(() -> open(bytes, small))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            prefix()
                + "header length 26 is above the maximum of 16 bytes; raise --max-header-bytes if"
                + " the file is trusted");
    assertThat(open(bytes, CheckpointOptions.DEFAULT.withMaxHeaderBytes(26)).tensors()).isEmpty();
  }

  @Test
  void invalidJson() {
    assertRejected(
        "{\"w\" 1}",
        0,
        "the header is not valid JSON: Unexpected character ('1' (code 49)): was expecting a"
            + " colon to separate field name and value at byte 5 of the header");
  }

  @Test
  void invalidUtf8() {
    byte[] header = {'{', '"', (byte) 0xff, '"', ':', '1', '}'};
    assertRejected(
        SafetensorsFixture.file(header.length, header, new byte[0]),
        "the header is not valid JSON: Invalid UTF-8 start byte 0xff at byte 4 of the header");
  }

  @Test
  void duplicateTensorName() {
    String entry = tensor("w", "F32", "[1]", "[0,4]");
    assertRejected(
        "{" + entry + "," + entry + "}",
        4,
        "the header is not valid JSON: Duplicate field 'w' at byte 57 of the header");
  }

  @Test
  void trailingBytesAfterJsonObject() {
    assertRejected(
        "{}  {}", 0, "the header continues after its JSON object at byte 4; only spaces may follow it");
  }

  @Test
  void trailingSpacesAfterJsonObjectAreValid() throws IOException {
    // The safetensors library pads the header with spaces to a multiple of 8 bytes.
    assertThat(open(SafetensorsFixture.file("{}      ", 0)).tensors()).isEmpty();
  }

  @Test
  void headerOfOnlyWhitespace() {
    assertRejected("        ", 0, "the header contains no JSON value, only whitespace");
  }

  @Test
  void headerNotAnObject() {
    assertRejected(
        "[1,2]",
        0,
        "the header is a JSON array but must be a JSON object that maps tensor names to their"
            + " entries");
  }

  @Test
  void tensorEntryNotAnObject() {
    assertRejected(
        "{\"w\":5}",
        0,
        "tensor w is the JSON number 5 but must be an object with dtype, shape and data_offsets");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}|dtype",
        "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}|shape",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}|data_offsets"
      })
  void missingField(String header, String field) {
    assertRejected(
        header,
        4,
        "tensor w has no " + field + "; each tensor needs dtype, shape and data_offsets");
  }

  @Test
  void unknownDtype() {
    assertRejected(
        "{" + tensor("w", "Q4_K", "[1]", "[0,4]") + "}",
        4,
        "tensor w has dtype \"Q4_K\", which is not a safetensors dtype; accepted: BOOL, F4,"
            + " F6_E2M3, F6_E3M2, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32,"
            + " F32, C64, F64, I64, U64");
  }

  @Test
  void dtypeNamesAreCaseSensitive() {
    assertThatThrownBy(() -> open(SafetensorsFixture.file(
            "{" + tensor("w", "bf16", "[2]", "[0,4]") + "}", 4)))
        .hasMessageStartingWith(prefix() + "tensor w has dtype \"bf16\", which is not a safetensors");
  }

  @Test
  void dtypeNotAString() {
    assertRejected(
        "{\"w\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}",
        4,
        "tensor w has dtype 7 but dtype must be a string such as \"BF16\"");
  }

  @Test
  void negativeDimension() {
    assertRejected(
        "{" + tensor("w", "F32", "[4,-1]", "[0,4]") + "}",
        4,
        "tensor w has shape [4,-1] but dimensions must be non-negative integers");
  }

  @Test
  void nonIntegerDimension() {
    assertRejected(
        "{" + tensor("w", "F32", "[2.5]", "[0,4]") + "}",
        4,
        "tensor w has shape [2.5] but dimensions must be non-negative integers");
  }

  @Test
  void stringDimension() {
    assertRejected(
        "{" + tensor("w", "F32", "[\"4\"]", "[0,16]") + "}",
        16,
        "tensor w has shape [\"4\"] but dimensions must be non-negative integers");
  }

  @Test
  void shapeNotAnArray() {
    assertRejected(
        "{" + tensor("w", "F32", "4", "[0,16]") + "}",
        16,
        "tensor w has shape 4 but shape must be an array of non-negative integers");
  }

  @Test
  void dataOffsetsNotTwoIntegers() {
    assertRejected(
        "{" + tensor("w", "F32", "[1]", "[0]") + "}",
        4,
        "tensor w has data_offsets [0] but data_offsets must be two non-negative integers [begin,"
            + " end]");
  }

  @Test
  void negativeDataOffset() {
    assertRejected(
        "{" + tensor("w", "F32", "[1]", "[-4,0]") + "}",
        4,
        "tensor w has data_offsets [-4,0] but data_offsets must be two non-negative integers"
            + " [begin, end]");
  }

  @Test
  void endBeforeBegin() {
    assertRejected(
        "{" + tensor("w", "F32", "[1]", "[8,4]") + "}",
        8,
        "tensor w has data_offsets [8, 4] but end must not be before begin");
  }

  @Test
  void byteLengthNotElementsTimesDtypeSize() {
    assertRejected(
        "{" + tensor("w", "BF16", "[4,8]", "[0,60]") + "}",
        60,
        "tensor w has data_offsets [0, 60] but 4 x 8 bf16 values need 64 bytes, not 60");
  }

  @Test
  void scalarByteLengthMismatch() {
    assertRejected(
        "{" + tensor("s", "F32", "[]", "[0,2]") + "}",
        2,
        "tensor s has data_offsets [0, 2] but a scalar f32 value needs 4 bytes, not 2");
  }

  @Test
  void offsetsPastEndOfData() {
    assertRejected(
        "{" + tensor("model.layers.7.mlp.up_proj.weight", "BF16", "[4,8]", "[0,64]") + "}",
        60,
        "tensor model.layers.7.mlp.up_proj.weight has data_offsets [0, 64] but 4 x 8 bf16 values"
            + " need 64 bytes from offset 0, but the data section has 60 bytes, so the file is truncated or its header"
            + " is wrong");
  }

  @Test
  void sizeOverflow() {
    assertRejected(
        "{" + tensor("w", "F32", "[4611686018427387904,4]", "[0,4]") + "}",
        4,
        "tensor w has shape [4611686018427387904, 4] whose size in bits overflows a 64-bit"
            + " integer");
  }

  @Test
  void subByteTensorNotEndingOnByte() {
    assertRejected(
        "{" + tensor("w", "F4", "[3]", "[0,2]") + "}",
        2,
        "tensor w has shape [3] of f4 values, which fill 12 bits, not a whole number of bytes");
  }

  @Test
  void overlappingTensors() {
    assertRejected(
        "{" + tensor("a", "F32", "[16]", "[0,64]") + "," + tensor("b", "F32", "[16]", "[32,96]")
            + "}",
        96,
        "tensors a [0, 64] and b [32, 96] overlap; each byte of the data section belongs to at"
            + " most one tensor");
  }

  @Test
  void metadataValueNotString() {
    assertRejected(
        "{\"__metadata__\":{\"format\":3}}",
        0,
        "__metadata__ key \"format\" has the value 3 but metadata values must be strings");
  }

  @Test
  void metadataNotAnObject() {
    assertRejected(
        "{\"__metadata__\":[1]}",
        0,
        "__metadata__ is [1] but must be a JSON object of strings");
  }

  @Test
  void holesAcceptedUnlessStrict() throws IOException {
    String header =
        "{" + tensor("a", "F32", "[8]", "[0,32]") + "," + tensor("b", "F32", "[8]", "[48,80]")
            + "}";
    byte[] bytes = SafetensorsFixture.file(header, 80);

    assertThat(open(bytes).tensors()).hasSize(2);
    assertThatThrownBy(() -> open(bytes, CheckpointOptions.DEFAULT.withStrict(true)))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            prefix()
                + "bytes [32, 48) of the data section belong to no tensor (between a and b); strict"
                + " mode requires the tensors to cover the data section without gaps");
  }

  @Test
  void leadingHoleRejectedWhenStrict() {
    byte[] bytes = SafetensorsFixture.file("{" + tensor("a", "F32", "[1]", "[4,8]") + "}", 8);
    assertThatThrownBy(() -> open(bytes, CheckpointOptions.DEFAULT.withStrict(true)))
        .hasMessage(
            prefix()
                + "bytes [0, 4) of the data section belong to no tensor (before the first tensor"
                + " a); strict mode requires the tensors to cover the data section without gaps");
  }

  @Test
  void trailingBytesRejectedWhenStrict() throws IOException {
    byte[] bytes = SafetensorsFixture.file("{" + tensor("a", "F32", "[1]", "[0,4]") + "}", 10);
    assertThat(open(bytes).tensors()).hasSize(1);
    assertThatThrownBy(() -> open(bytes, CheckpointOptions.DEFAULT.withStrict(true)))
        .hasMessage(
            prefix()
                + "bytes [4, 10) of the data section belong to no tensor (after the last tensor"
                + " a); strict mode requires the tensors to cover the data section without gaps");
  }

  @Test
  void zeroElementTensorsAreValid() throws IOException {
    String header =
        "{" + tensor("empty", "BF16", "[0,64]", "[0,0]") + "," + tensor("w", "F32", "[2]", "[0,8]")
            + "," + tensor("alsoEmpty", "F32", "[3,0]", "[8,8]") + "}";
    Checkpoint checkpoint = open(SafetensorsFixture.file(header, 8),
        CheckpointOptions.DEFAULT.withStrict(true));

    TensorEntry empty = checkpoint.tensor("empty").orElseThrow();
    assertThat(empty.elementCount()).isZero();
    assertThat(empty.byteLength()).isZero();
    assertThat(checkpoint.tensors()).hasSize(3);
  }

  @Test
  void everyDtypeRecognizedWithItsByteLength() throws IOException {
    SafetensorsFixture.Builder builder = new SafetensorsFixture.Builder();
    // Eight elements of a b-bit type fill exactly b bytes.
    String[][] expected = {
      {"BOOL", "8"}, {"U8", "8"}, {"I8", "8"}, {"I16", "16"}, {"U16", "16"}, {"F16", "16"},
      {"BF16", "16"}, {"I32", "32"}, {"U32", "32"}, {"F32", "32"}, {"F64", "64"}, {"I64", "64"},
      {"U64", "64"}, {"F8_E4M3", "8"}, {"F8_E5M2", "8"}, {"F8_E8M0", "8"}, {"F6_E2M3", "6"},
      {"F6_E3M2", "6"}, {"F4", "4"}, {"C64", "64"}
    };
    for (String[] dtype : expected) {
      builder.add("t_" + dtype[0], dtype[0], new long[] {8}, new byte[Integer.parseInt(dtype[1])]);
    }
    Checkpoint checkpoint =
        Checkpoint.open(
            builder.write(folder, "all.safetensors").toString(),
            new Configuration(),
            CheckpointOptions.DEFAULT.withStrict(true));

    assertThat(checkpoint.tensors()).hasSize(expected.length);
    for (String[] dtype : expected) {
      TensorEntry entry = checkpoint.tensor("t_" + dtype[0]).orElseThrow();
      assertThat(entry.dtype().name()).isEqualTo(dtype[0]);
      assertThat(entry.byteLength()).isEqualTo(Long.parseLong(dtype[1]));
    }
    assertThat(Dtype.values()).hasSize(expected.length);
  }

  @Test
  void metadataAndAbsoluteOffsets() throws IOException {
    Path path =
        new SafetensorsFixture.Builder()
            .addBf16("a", 2, 3)
            .addBf16("b", 1, 4)
            .write(folder, "ok.safetensors");
    Checkpoint checkpoint = Checkpoint.open(path.toString(), new Configuration(), CheckpointOptions.DEFAULT);

    SafetensorsFile file = checkpoint.files().get(0);
    assertThat(file.metadata()).containsEntry("format", "pt");
    TensorEntry b = checkpoint.tensor("b").orElseThrow();
    assertThat(b.begin()).isEqualTo(file.dataStart() + 12);
    assertThat(b.end()).isEqualTo(file.dataStart() + 20);
    assertThat(b.file()).isEqualTo("file:" + path.toAbsolutePath());
    assertThat(checkpoint.layout()).isEqualTo(Checkpoint.Layout.SINGLE_FILE);
  }
}
