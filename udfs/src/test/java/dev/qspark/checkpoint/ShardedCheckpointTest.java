package dev.qspark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedCheckpointTest {

  private static final String SHARD_1 = "model-00001-of-00002.safetensors";
  private static final String SHARD_2 = "model-00002-of-00002.safetensors";

  @TempDir Path folder;

  private Checkpoint open(Path path) throws IOException {
    return Checkpoint.open(path.toString(), new Configuration(), CheckpointOptions.DEFAULT);
  }

  private void writeIndex(String weightMapJson) throws IOException {
    Files.writeString(
        folder.resolve(ShardIndex.FILE_NAME),
        "{\"metadata\":{\"total_size\":0},\"weight_map\":" + weightMapJson + "}",
        StandardCharsets.UTF_8);
  }

  private void writeShards() throws IOException {
    new SafetensorsFixture.Builder()
        .addBf16("model.layers.0.mlp.up_proj.weight", 4, 8)
        .addBf16("model.layers.0.mlp.down_proj.weight", 8, 4)
        .write(folder, SHARD_1);
    new SafetensorsFixture.Builder()
        .addBf16("model.layers.1.mlp.up_proj.weight", 4, 8)
        .write(folder, SHARD_2);
  }

  private static String validMap() {
    return "{\"model.layers.0.mlp.up_proj.weight\":\"" + SHARD_1 + "\","
        + "\"model.layers.0.mlp.down_proj.weight\":\"" + SHARD_1 + "\","
        + "\"model.layers.1.mlp.up_proj.weight\":\"" + SHARD_2 + "\"}";
  }

  @Test
  void validShardedFolder() throws IOException {
    writeShards();
    writeIndex(validMap());

    Checkpoint checkpoint = open(folder);

    assertThat(checkpoint.layout()).isEqualTo(Checkpoint.Layout.SHARDED);
    assertThat(checkpoint.files()).extracting(SafetensorsFile::fileName).containsExactly(SHARD_1, SHARD_2);
    assertThat(checkpoint.tensors())
        .extracting(TensorEntry::name)
        .containsExactly(
            "model.layers.0.mlp.down_proj.weight",
            "model.layers.0.mlp.up_proj.weight",
            "model.layers.1.mlp.up_proj.weight");
    assertThat(checkpoint.tensor("model.layers.1.mlp.up_proj.weight").orElseThrow().file())
        .endsWith("/" + SHARD_2);
    assertThat(checkpoint.modelConfig()).isEmpty();
  }

  @Test
  void indexFileAsModelArgument() throws IOException {
    writeShards();
    writeIndex(validMap());

    Checkpoint checkpoint = open(folder.resolve(ShardIndex.FILE_NAME));

    assertThat(checkpoint.layout()).isEqualTo(Checkpoint.Layout.SHARDED);
    assertThat(checkpoint.tensors()).hasSize(3);
  }

  @Test
  void mappedTensorAbsentFromItsShard() throws IOException {
    writeShards();
    writeIndex(validMap().replace("}", ",\"model.layers.1.mlp.gate_proj.weight\":\"" + SHARD_2 + "\"}"));

    assertThatThrownBy(() -> open(folder))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            "Cannot read model.safetensors.index.json: weight_map maps tensor"
                + " model.layers.1.mlp.gate_proj.weight to " + SHARD_2 + ", which does not contain it");
  }

  @Test
  void shardTensorMissingFromMap() throws IOException {
    writeShards();
    writeIndex(
        "{\"model.layers.0.mlp.up_proj.weight\":\"" + SHARD_1 + "\","
            + "\"model.layers.1.mlp.up_proj.weight\":\"" + SHARD_2 + "\"}");

    assertThatThrownBy(() -> open(folder))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            "Cannot read " + SHARD_1 + ": tensor model.layers.0.mlp.down_proj.weight is in this"
                + " shard but missing from the weight_map of model.safetensors.index.json");
  }

  @Test
  void sameTensorInTwoShards() throws IOException {
    writeShards();
    new SafetensorsFixture.Builder()
        .addBf16("model.layers.1.mlp.up_proj.weight", 4, 8)
        .addBf16("model.layers.0.mlp.up_proj.weight", 4, 8)
        .write(folder, SHARD_2);
    writeIndex(validMap());

    assertThatThrownBy(() -> open(folder))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            "Cannot read " + SHARD_2 + ": tensor model.layers.0.mlp.up_proj.weight is also in "
                + SHARD_1 + "; each tensor must be in exactly one shard");
  }

  @Test
  void tensorMappedToTheWrongShard() throws IOException {
    writeShards();
    writeIndex(validMap().replace("\"model.layers.1.mlp.up_proj.weight\":\"" + SHARD_2,
        "\"model.layers.1.mlp.up_proj.weight\":\"" + SHARD_1) .replace("}", ",\"x\":\"" + SHARD_2 + "\"}"));

    assertThatThrownBy(() -> open(folder))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            "Cannot read model.safetensors.index.json: weight_map maps tensor"
                + " model.layers.1.mlp.up_proj.weight to " + SHARD_1 + " but the tensor is in "
                + SHARD_2);
  }

  @Test
  void tensorNamedTwiceInWeightMap() throws IOException {
    writeShards();
    writeIndex(validMap().replace("}", ",\"model.layers.1.mlp.up_proj.weight\":\"" + SHARD_1 + "\"}"));

    assertThatThrownBy(() -> open(folder))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessageStartingWith(
            "Cannot read model.safetensors.index.json: it is not valid JSON: Duplicate field"
                + " 'model.layers.1.mlp.up_proj.weight'");
  }

  @Test
  void shardFileDoesNotExist() throws IOException {
    writeShards();
    Files.delete(folder.resolve(SHARD_2));
    writeIndex(validMap());

    assertThatThrownBy(() -> open(folder))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            "Cannot read model.safetensors.index.json: weight_map maps tensor"
                + " model.layers.1.mlp.up_proj.weight to shard " + SHARD_2
                + ", which does not exist in file:" + folder.toAbsolutePath());
  }

  @Test
  void shardNameOutsideTheFolder() throws IOException {
    writeShards();
    writeIndex("{\"w\":\"../elsewhere.safetensors\"}");

    assertThatThrownBy(() -> open(folder))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            "Cannot read model.safetensors.index.json: weight_map maps tensor w to"
                + " \"../elsewhere.safetensors\" but shard names must be file names relative to the"
                + " index's folder");
  }

  @Test
  void indexWithoutWeightMap() throws IOException {
    Files.writeString(folder.resolve(ShardIndex.FILE_NAME), "{\"metadata\":{}}");

    assertThatThrownBy(() -> open(folder))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessage(
            "Cannot read model.safetensors.index.json: weight_map is null but must be an object"
                + " that maps each tensor name to its shard file");
  }

  @Test
  void invalidShardHeaderNamesTheShard() throws IOException {
    writeShards();
    SafetensorsFixture.write(folder, SHARD_2, SafetensorsFixture.file("[]", 0));
    writeIndex(validMap());

    assertThatThrownBy(() -> open(folder))
        .isInstanceOf(InvalidCheckpointException.class)
        .hasMessageStartingWith("Cannot read " + SHARD_2 + ": the header is a JSON array");
  }
}
