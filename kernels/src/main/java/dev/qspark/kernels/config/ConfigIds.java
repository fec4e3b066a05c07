package dev.qspark.kernels.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Assigns config ids that are unique within one list of configs. */
public final class ConfigIds {

  private ConfigIds() {}

  /**
   * Returns one id per config, in list order: {@link QuantConfig#configId()}, plus {@code -} and the
   * first 6 hex digits of a SHA-256 where two configs of the list share that id. The hash covers the
   * canonical string, the release and the device ({@code canonical + " torchao=" + release + " device="
   * + device}), because configs of different releases or devices can have the same canonical string.
   *
   * @throws IllegalArgumentException when the list contains the same config twice
   */
  public static List<String> assign(List<? extends QuantConfig> configs) {
    Set<QuantConfig> seen = new HashSet<>();
    Map<String, Integer> idCounts = new HashMap<>();
    for (QuantConfig config : configs) {
      if (!seen.add(config)) {
        throw new IllegalArgumentException("Cannot assign config ids: " + config + " appears twice in the list");
      }
      idCounts.merge(config.configId(), 1, Integer::sum);
    }
    List<String> ids = new ArrayList<>(configs.size());
    for (QuantConfig config : configs) {
      String id = config.configId();
      ids.add(idCounts.get(id) > 1 ? id + "-" + hashSuffix(config) : id);
    }
    if (new HashSet<>(ids).size() != ids.size()) {
      throw new IllegalStateException("Cannot assign config ids: two configs share an id and a hash prefix: " + ids);
    }
    return ids;
  }

  /** Returns the first 6 hex digits of the SHA-256 of the config's canonical string, release and device. */
  static String hashSuffix(QuantConfig config) {
    String identity = config.canonical() + " torchao=" + config.release() + " device=" + config.deviceArithmetic();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return String.format("%02x%02x%02x", digest[0], digest[1], digest[2]);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java platform must provide", e);
    }
  }
}
