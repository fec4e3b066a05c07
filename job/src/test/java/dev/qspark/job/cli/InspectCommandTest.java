package dev.qspark.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {

  @TempDir Path folder;

  /** Output of one run: exit code, standard output and standard error. */
  private record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return Arrays.asList(out.split("\\R"));
    }

    String line(String tensorName) {
      return lines().stream()
          .filter(line -> line.startsWith(tensorName + " "))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no row for " + tensorName + " in\n" + out));
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new InspectCommand());
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private static Path model(String name) {
    String property = System.getProperty("qspark.shared.dir");
    Path shared = property != null ? Paths.get(property) : Paths.get("..", "..", "shared");
    return shared.resolve("models").resolve(name);
  }

  @Test
  void listsStoriesTensors() {
    Run run = run(model("stories260K").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.lines().get(0)).startsWith("Model: file:").endsWith("(folder, 1 file, 524984 bytes)");
    assertThat(run.lines().get(1).split("\\s+"))
        .containsExactly("NAME", "DTYPE", "SHAPE", "PARAMS", "BYTES", "LAYER", "MODULE", "ACTION", "REASON");
    assertThat(run.line("model.layers.0.mlp.down_proj.weight").split("\\s+", 9))
        .containsExactly(
            "model.layers.0.mlp.down_proj.weight", "BF16", "[64,172]", "11008", "22016", "0",
            "mlp.down_proj", "quantize", "linear weight");
    assertThat(run.line("model.embed_tokens.weight").split("\\s+", 9))
        .containsExactly(
            "model.embed_tokens.weight", "BF16", "[512,64]", "32768", "65536", "-",
            "model.embed_tokens", "keep", "embedding");
    assertThat(run.line("model.norm.weight")).endsWith("keep      norm; only 2-D weights are quantized");
    assertThat(run.out())
        .contains("Total: 47 tensors, 260032 parameters, 520064 bytes")
        .contains("To quantize: 35 tensors, ")
        .contains(
            "Embeddings: tied embeddings: config.json sets tie_word_embeddings, so the output"
                + " projection reuses model.embed_tokens.weight");
  }

  @Test
  void quantizedTotalsMatchLinearShapes() {
    Run run = run(model("stories260K-fp32").toString());

    // Per layer: q_proj and o_proj 64x64, k_proj and v_proj 32x64, gate, up and down 172x64.
    long perLayer = 2 * 64 * 64 + 2 * 32 * 64 + 3 * 172 * 64;
    assertThat(run.out())
        .contains("To quantize: 35 tensors, " + 5 * perLayer + " parameters, " + 4 * 5 * perLayer + " bytes");
    assertThat(run.line("model.layers.4.self_attn.k_proj.weight")).contains(" F32 ", "[32,64]");
  }

  @Test
  void includeAndExclude() {
    Run run =
        run(model("stories260K").toString(), "--include", "embed_tokens|q_proj", "--exclude", "layers\\.[1-4]\\.");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("To quantize: 2 tensors, " + (512 * 64 + 64 * 64) + " parameters");
    assertThat(run.line("model.layers.3.self_attn.q_proj.weight")).endsWith("keep      matches --exclude layers\\.[1-4]\\.");
    assertThat(run.line("model.layers.0.self_attn.k_proj.weight")).contains("does not match --include");
  }

  @Test
  void strictRejectsGapAndNamesTheFile() throws Exception {
    byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".getBytes();
    java.nio.ByteBuffer bytes =
        java.nio.ByteBuffer.allocate(8 + header.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(header.length).put(header);
    Path file = Files.write(folder.resolve("gap.safetensors"), bytes.array());

    assertThat(run(file.toString()).exitCode()).isZero();
    Run strict = run(file.toString(), "--strict");
    assertThat(strict.exitCode()).isNotZero();
    assertThat(strict.err())
        .contains(
            "Cannot read " + file + ": bytes [4, 8) of the data section belong to no tensor");
  }

  @Test
  void maxHeaderBytesOption() {
    Run run = run(model("stories260K").toString(), "--max-header-bytes", "4000");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err())
        .contains(
            "stories260K/model.safetensors: header length 4912 is above the maximum of 4000 bytes;"
                + " raise --max-header-bytes if the file is trusted");
  }
}
