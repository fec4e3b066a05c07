package dev.qspark.checkpoint;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The {@code weight_map} of a sharded checkpoint's {@code model.safetensors.index.json}: which
 * shard file, relative to the index's folder, contains each tensor.
 */
public record ShardIndex(Map<String, String> weightMap) {

  public static final String FILE_NAME = "model.safetensors.index.json";

  // A tensor named twice in weight_map would be mapped to two shards, so duplicates are rejected.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  public ShardIndex {
    weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
  }

  /** Shard file names in order of first appearance in {@code weight_map}. */
  public List<String> shardNames() {
    return new ArrayList<>(new LinkedHashSet<>(weightMap.values()));
  }

  /** Parses the bytes of an index file. */
  public static ShardIndex parse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw invalid("it is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("it must contain a JSON object with a weight_map, not " + root);
    }
    JsonNode weightMapNode = root.get("weight_map");
    if (weightMapNode == null || !weightMapNode.isObject()) {
      throw invalid(
          "weight_map is "
              + weightMapNode
              + " but must be an object that maps each tensor name to its shard file");
    }
    Map<String, String> weightMap = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : weightMapNode.properties()) {
      JsonNode shard = entry.getValue();
      if (!shard.isTextual() || !isPlainRelativeName(shard.textValue())) {
        throw invalid(
            "weight_map maps tensor "
                + entry.getKey()
                + " to "
                + shard
                + " but shard names must be file names relative to the index's folder");
      }
      weightMap.put(entry.getKey(), shard.textValue());
    }
    return new ShardIndex(weightMap);
  }

  // Shards live beside the index; absolute paths, URIs and ".." would read files elsewhere.
  private static boolean isPlainRelativeName(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains(":") || name.contains("\\")) {
      return false;
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  static InvalidCheckpointException invalid(String reason) {
    return new InvalidCheckpointException("Cannot read " + FILE_NAME + ": " + reason);
  }
}
