package dev.qspark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDiscoveryTest {

  @TempDir Path folder;

  private Checkpoint open(String model) throws IOException {
    return Checkpoint.open(model, new Configuration(), CheckpointOptions.DEFAULT);
  }

  @Test
  void folderWithModelSafetensorsAndConfig() throws IOException {
    new SafetensorsFixture.Builder().addBf16("lm_head.weight", 2, 2).write(folder, "model.safetensors");
    Files.writeString(
        folder.resolve("config.json"),
        "{\"architectures\":[\"LlamaForCausalLM\"],\"tie_word_embeddings\":false,"
            + "\"torch_dtype\":\"bfloat16\"}");

    Checkpoint checkpoint = open(folder.toString());

    assertThat(checkpoint.layout()).isEqualTo(Checkpoint.Layout.FOLDER);
    ModelConfig config = checkpoint.modelConfig().orElseThrow();
    assertThat(config.tieWordEmbeddings()).isFalse();
    assertThat(config.torchDtype()).isEqualTo("bfloat16");
    assertThat(config.architectures()).containsExactly("LlamaForCausalLM");
  }

  @Test
  void fileUriArgument() throws IOException {
    Path file = new SafetensorsFixture.Builder().addBf16("w", 1, 1).write(folder, "x.safetensors");

    Checkpoint checkpoint = open(file.toUri().toString());

    assertThat(checkpoint.layout()).isEqualTo(Checkpoint.Layout.SINGLE_FILE);
    assertThat(checkpoint.tensors()).extracting(TensorEntry::name).containsExactly("w");
  }

  @Test
  void configSetsDtypeUnderNewerName() throws IOException {
    new SafetensorsFixture.Builder().addBf16("w", 1, 1).write(folder, "model.safetensors");
    Files.writeString(folder.resolve("config.json"), "{\"dtype\":\"float16\"}");

    ModelConfig config = open(folder.toString()).modelConfig().orElseThrow();

    assertThat(config.torchDtype()).isEqualTo("float16");
    assertThat(config.tieWordEmbeddings()).isNull();
  }

  @Test
  void invalidTieWordEmbeddings() throws IOException {
    new SafetensorsFixture.Builder().addBf16("w", 1, 1).write(folder, "model.safetensors");
    Files.writeString(folder.resolve("config.json"), "{\"tie_word_embeddings\":\"yes\"}");

    assertThatThrownBy(() -> open(folder.toString()))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage("Cannot read config.json: tie_word_embeddings is \"yes\" but must be true or false");
  }

  @Test
  void missingPath() {
    String missing = folder.resolve("nothing-here").toString();

    assertThatThrownBy(() -> open(missing))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage("Cannot read model " + missing + ": no such file or folder (file:" + missing + ")");
  }

  @Test
  void unreachableFileSystemNamedInOneLine() {
    // Nothing listens on port 1 of the loopback address, and retries are off so that the test is quick.
    Configuration conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    conf.setInt("ipc.client.connect.max.retries.on.timeouts", 0);
    String model = "hdfs://127.0.0.1:1/x";

    assertThatThrownBy(() -> Checkpoint.open(model, conf, CheckpointOptions.DEFAULT))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot read model " + model + ": ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void folderWithoutCheckpoint() throws IOException {
    Files.writeString(folder.resolve("pytorch_model.bin"), "x");

    assertThatThrownBy(() -> open(folder.toString()))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            "Cannot read model folder file:" + folder.toAbsolutePath() + ": it contains neither"
                + " model.safetensors nor model.safetensors.index.json; pass a .safetensors file or a"
                + " Hugging Face model folder");
  }

  @Test
  void singleFilePreferredOverIndex() throws IOException {
    new SafetensorsFixture.Builder().addBf16("w", 1, 1).write(folder, "model.safetensors");
    Files.writeString(folder.resolve(ShardIndex.FILE_NAME), "{\"weight_map\":{}}");

    assertThat(open(folder.toString()).layout()).isEqualTo(Checkpoint.Layout.FOLDER);
  }
}
