package dev.qspark.udfs;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed quantizers by config text, release and device, shared by every task of an executor JVM,
 * so that a function called once per row parses each distinct config once.
 */
final class QuantizerCache {

  /** Bound on cached configs. A query with more distinct config texts than this clears the cache and starts over. */
  static final int MAX_ENTRIES = 1024;

  private record Key(String config, TorchaoRelease release, DeviceArithmetic device) {}

  private static final Map<Key, WeightQuantizer> CACHE = new ConcurrentHashMap<>();

  private QuantizerCache() {}

  /**
   * Returns the quantizer for a config in torchao syntax.
   *
   * @throws IllegalArgumentException when the text is not a config the release accepts; failed
   *     parses are not cached
   */
  static WeightQuantizer forConfig(String config, UdfSettings settings) {
    Key key = new Key(config, settings.release(), settings.device());
    WeightQuantizer cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    WeightQuantizer quantizer =
        Quantizers.forConfig(QuantConfigs.parse(config, settings.release(), settings.device()));
    if (CACHE.size() >= MAX_ENTRIES) {
      CACHE.clear();
    }
    CACHE.put(key, quantizer);
    return quantizer;
  }
}
