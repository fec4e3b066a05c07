package dev.qspark.checkpoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * A model checkpoint as planned from its headers alone: its safetensors files, its tensors and its
 * {@code config.json}. No tensor data has been read. Stays on the driver; executors get {@link
 * TensorEntry} records.
 */
public final class Checkpoint {

  /** Storage layout of a checkpoint. */
  public enum Layout {
    /** The model argument is a safetensors file. */
    SINGLE_FILE,
    /** The model argument is a folder with {@code model.safetensors}. */
    FOLDER,
    /** The model argument is a folder with {@code model.safetensors.index.json} and its shards. */
    SHARDED
  }

  private final String location;
  private final Layout layout;
  private final List<SafetensorsFile> files;
  private final ModelConfig config;
  private final List<TensorEntry> tensors;
  private final Map<String, TensorEntry> tensorsByName;

  /**
   * @param location fully qualified path of the model argument
   * @param layout how the checkpoint is stored
   * @param files the safetensors files, in index order for a sharded checkpoint
   * @param config the parsed {@code config.json}, or null when there is none
   */
  public Checkpoint(
      String location, Layout layout, List<SafetensorsFile> files, ModelConfig config) {
    this.location = location;
    this.layout = layout;
    this.files = List.copyOf(files);
    this.config = config;

    List<TensorEntry> all = new ArrayList<>();
    for (SafetensorsFile file : files) {
      all.addAll(file.tensors());
    }
    all.sort(Comparator.comparing(TensorEntry::name, NaturalOrder.INSTANCE));
    this.tensors = List.copyOf(all);

    Map<String, TensorEntry> byName = new LinkedHashMap<>();
    for (TensorEntry tensor : all) {
      byName.put(tensor.name(), tensor);
    }
    this.tensorsByName = Collections.unmodifiableMap(byName);
  }

  /**
   * Finds and checks the checkpoint at {@code model}: a safetensors file, a folder with {@code
   * model.safetensors}, or a folder with {@code model.safetensors.index.json}. The path may be
   * any URI Hadoop's {@code FileSystem} supports for {@code conf}, or a plain local path.
   *
   * @throws InvalidCheckpointException when a file breaks the format or the index and the shards
   *     disagree
   * @throws IOException when a file cannot be read
   */
  public static Checkpoint open(String model, Configuration conf, CheckpointOptions options)
      throws IOException {
    return CheckpointDiscovery.open(model, conf, options);
  }

  public Optional<ModelConfig> modelConfig() {
    return Optional.ofNullable(config);
  }

  /** Fully qualified path of the model argument. */
  public String location() {
    return location;
  }

  public Layout layout() {
    return layout;
  }

  /** Returns the safetensors files, in index order for a sharded checkpoint. */
  public List<SafetensorsFile> files() {
    return files;
  }

  /** Returns the tensors of all files, in natural name order (layer 2 before layer 10). */
  public List<TensorEntry> tensors() {
    return tensors;
  }

  /** Tensors by name, in natural name order. */
  public Map<String, TensorEntry> tensorsByName() {
    return tensorsByName;
  }

  public Optional<TensorEntry> tensor(String name) {
    return Optional.ofNullable(tensorsByName.get(name));
  }

  /** Detects whether the output layer reuses the input embeddings, from config.json and names. */
  public TiedEmbeddings tiedEmbeddings() {
    return TiedEmbeddings.detect(config, tensors);
  }
}
