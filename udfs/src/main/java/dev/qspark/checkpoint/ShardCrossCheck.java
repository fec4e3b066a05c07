package dev.qspark.checkpoint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a sharded checkpoint's index against its shards both ways: every tensor of the index is in
 * the shard it names, and every tensor of a shard is in the index and in no other shard.
 */
final class ShardCrossCheck {

  private ShardCrossCheck() {}

  /** Checks {@code index} against {@code shards}, the headers of the files it names. */
  static void check(ShardIndex index, List<SafetensorsFile> shards) {
    Map<String, SafetensorsFile> shardOfTensor = new HashMap<>();
    for (SafetensorsFile shard : shards) {
      for (TensorEntry tensor : shard.tensors()) {
        SafetensorsFile other = shardOfTensor.putIfAbsent(tensor.name(), shard);
        if (other != null) {
          throw SafetensorsHeaderParser.invalid(
              shard.fileName(),
              "tensor "
                  + tensor.name()
                  + " is also in "
                  + other.fileName()
                  + "; each tensor must be in exactly one shard");
        }
      }
    }

    for (Map.Entry<String, String> mapped : index.weightMap().entrySet()) {
      String tensorName = mapped.getKey();
      String shardName = mapped.getValue();
      SafetensorsFile actual = shardOfTensor.get(tensorName);
      if (actual == null) {
        throw ShardIndex.invalid(
            "weight_map maps tensor "
                + tensorName
                + " to "
                + shardName
                + ", which does not contain it");
      }
      if (!isShard(actual, shardName)) {
        throw ShardIndex.invalid(
            "weight_map maps tensor "
                + tensorName
                + " to "
                + shardName
                + " but the tensor is in "
                + actual.fileName());
      }
    }

    for (SafetensorsFile shard : shards) {
      for (TensorEntry tensor : shard.tensors()) {
        if (!index.weightMap().containsKey(tensor.name())) {
          throw SafetensorsHeaderParser.invalid(
              shard.fileName(),
              "tensor "
                  + tensor.name()
                  + " is in this shard but missing from the weight_map of "
                  + ShardIndex.FILE_NAME);
        }
      }
    }
  }

  // Shard names in weight_map are relative paths, and a shard's qualified path ends with them.
  private static boolean isShard(SafetensorsFile shard, String shardName) {
    return shard.file().endsWith("/" + shardName);
  }
}
