package dev.qspark.job.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two configs of a sweep that differ only in their {@code version} field.
 *
 * @param reason why torchao's two versions of this config can give different results
 */
public record VersionPair(String v1ConfigId, String v1Config, String v2ConfigId, String v2Config, String reason) {

  private static final Pattern VERSION_FIELD = Pattern.compile("(,\\s*)?\\bversion=(\\d+)");

  /**
   * Finds the pairs among the configs of a sweep, given as config id to canonical config text. Two
   * configs pair when their canonical texts are equal once the {@code version=N} field is removed
   * and their versions are 1 and 2.
   */
  public static List<VersionPair> find(Map<String, String> configsById) {
    Map<String, Map<Integer, String>> byKey = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : configsById.entrySet()) {
      Matcher matcher = VERSION_FIELD.matcher(entry.getValue());
      if (!matcher.find()) {
        continue;
      }
      int version = Integer.parseInt(matcher.group(2));
      String key = entry.getValue().substring(0, matcher.start()) + entry.getValue().substring(matcher.end());
      byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).putIfAbsent(version, entry.getKey());
    }
    List<VersionPair> pairs = new ArrayList<>();
    for (Map<Integer, String> versions : byKey.values()) {
      String v1 = versions.get(1);
      String v2 = versions.get(2);
      if (v1 != null && v2 != null) {
        String v1Config = configsById.get(v1);
        pairs.add(new VersionPair(v1, v1Config, v2, configsById.get(v2), reasonFor(v1Config)));
      }
    }
    return pairs;
  }

  /** Explains, from the version 1 config text, where the two versions' numerics part. */
  static String reasonFor(String v1Config) {
    if (v1Config.startsWith("IntxWeightOnlyConfig")) {
      if (v1Config.contains("MappingType.ASYMMETRIC")) {
        return "Asymmetric Intx version 1 takes the range from each group's min and max without forcing 0 into"
            + " it (preserve_zero=False), while version 2 widens the range to include 0. Groups that are all"
            + " positive or all negative get different scales and zero points.";
      }
      return "Both versions choose symmetric qparams the same way, with the input dtype's eps; version 1 stores"
          + " a per-row scale as [N] and version 2 as [N, 1]. The dequantized values should be equal, so a"
          + " difference here points to a bug.";
    }
    if (v1Config.startsWith("Int8WeightOnlyConfig")) {
      return "Version 1 clamps the scale at float32's eps. Version 2 in torchao 0.15 clamps it at the input"
          + " dtype's eps (0.0078125 for bfloat16), so every bfloat16 row whose max |w| is below about 1.0"
          + " gets a larger scale; from 0.16 version 2 uses float32's eps as well.";
    }
    if (v1Config.startsWith("Int4WeightOnlyConfig")) {
      return "Version 1 (tinygemm, TensorCoreTiledLayout) chooses min/max qparams in the input dtype with eps"
          + " 1e-6 and stores unsigned values with a float zero point; version 2 plain (fbgemm's"
          + " int4_row_quantize_zp) computes in float32 and rounds the stored scale and zero to the weight's"
          + " dtype. Scales differ by that rounding, and values near a rounding boundary land on different"
          + " integers.";
    }
    return "The two versions run different torchao code paths for this config.";
  }
}
