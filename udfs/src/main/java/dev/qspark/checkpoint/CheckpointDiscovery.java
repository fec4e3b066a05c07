package dev.qspark.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the safetensors files behind a model argument and reads their headers. Driver only. */
final class CheckpointDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointDiscovery.class);

  static final String SINGLE_FILE_NAME = "model.safetensors";

  // Bound on config.json and the index, which are read whole; real ones are well under 10 MB.
  private static final long MAX_JSON_FILE_BYTES = 64L << 20;

  private CheckpointDiscovery() {}

  static Checkpoint open(String model, Configuration conf, CheckpointOptions options)
      throws IOException {
    Path path = new Path(model);
    FileSystem fs;
    try {
      fs = path.getFileSystem(conf);
    } catch (IOException e) {
      throw new IOException("Cannot read model " + model + ": " + firstLine(e), e);
    }
    Path qualified = fs.makeQualified(path);
    FileStatus status;
    try {
      status = fs.getFileStatus(qualified);
    } catch (FileNotFoundException e) {
      throw new InvalidCheckpointException(
          "Cannot read model " + model + ": no such file or folder (" + qualified + ")", e);
    } catch (IOException e) {
      throw new IOException("Cannot read model " + model + ": " + firstLine(e), e);
    }

    if (status.isFile()) {
      if (qualified.getName().equals(ShardIndex.FILE_NAME)) {
        return openSharded(fs, qualified.getParent(), qualified.toString(), options);
      }
      SafetensorsFile file = SafetensorsHeaderParser.read(fs, qualified, model, options);
      ModelConfig config = readConfig(fs, qualified.getParent());
      return new Checkpoint(
          qualified.toString(), Checkpoint.Layout.SINGLE_FILE, List.of(file), config);
    }

    Path single = new Path(qualified, SINGLE_FILE_NAME);
    Path index = new Path(qualified, ShardIndex.FILE_NAME);
    boolean hasSingle = fs.exists(single);
    boolean hasIndex = fs.exists(index);
    if (hasSingle) {
      // transformers' from_pretrained also prefers model.safetensors when both are present.
      if (hasIndex) {
        LOG.info("Reading {} and ignoring {} beside it", single, ShardIndex.FILE_NAME);
      }
      SafetensorsFile file = SafetensorsHeaderParser.read(
          fs, single, new Path(path, SINGLE_FILE_NAME).toString(), options);
      return new Checkpoint(
          qualified.toString(), Checkpoint.Layout.FOLDER, List.of(file), readConfig(fs, qualified));
    }
    if (hasIndex) {
      return openSharded(fs, qualified, qualified.toString(), options);
    }
    throw new InvalidCheckpointException(
        "Cannot read model folder "
            + qualified
            + ": it contains neither "
            + SINGLE_FILE_NAME
            + " nor "
            + ShardIndex.FILE_NAME
            + "; pass a .safetensors file or a Hugging Face model folder");
  }

  /** Returns the first line of the message, because Hadoop connection errors span several lines. */
  private static String firstLine(IOException e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return message.lines().findFirst().orElse(e.getClass().getName());
  }

  private static Checkpoint openSharded(
      FileSystem fs, Path folder, String location, CheckpointOptions options) throws IOException {
    ShardIndex index = ShardIndex.parse(readSmallFile(fs, new Path(folder, ShardIndex.FILE_NAME)));
    List<SafetensorsFile> shards = new ArrayList<>();
    for (String shardName : index.shardNames()) {
      Path shardPath = new Path(folder, shardName);
      if (!fs.exists(shardPath)) {
        String firstTensor =
            index.weightMap().entrySet().stream()
                .filter(entry -> entry.getValue().equals(shardName))
                .map(java.util.Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        throw ShardIndex.invalid(
            "weight_map maps tensor "
                + firstTensor
                + " to shard "
                + shardName
                + ", which does not exist in "
                + folder);
      }
      shards.add(SafetensorsHeaderParser.read(fs, shardPath, options));
    }
    ShardCrossCheck.check(index, shards);
    LOG.debug("Read the headers of {} shards in {}", shards.size(), folder);
    return new Checkpoint(location, Checkpoint.Layout.SHARDED, shards, readConfig(fs, folder));
  }

  private static ModelConfig readConfig(FileSystem fs, Path folder) throws IOException {
    Path configPath = new Path(folder, ModelConfig.FILE_NAME);
    if (!fs.exists(configPath)) {
      return null;
    }
    return ModelConfig.parse(readSmallFile(fs, configPath));
  }

  private static byte[] readSmallFile(FileSystem fs, Path path) throws IOException {
    long length = fs.getFileStatus(path).getLen();
    if (length > MAX_JSON_FILE_BYTES) {
      throw new InvalidCheckpointException(
          "Cannot read "
              + path.getName()
              + ": it is "
              + length
              + " bytes long, above the maximum of "
              + MAX_JSON_FILE_BYTES
              + " bytes for a JSON side file");
    }
    byte[] bytes = new byte[(int) length];
    try (FSDataInputStream in = fs.open(path)) {
      in.readFully(0, bytes);
    }
    return bytes;
  }
}
