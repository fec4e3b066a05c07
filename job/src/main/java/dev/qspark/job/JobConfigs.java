package dev.qspark.job;

import dev.qspark.job.plan.JobConfig;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.config.ConfigIds;
import dev.qspark.kernels.config.InvalidConfigException;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.ArrayList;
import java.util.List;

/** Parses config texts under a release and pairs each config with its id and kernel. */
public final class JobConfigs {

  private JobConfigs() {}

  /**
   * Parses every text, then assigns ids and kernels.
   *
   * @param source names where the texts come from in messages, e.g. {@code preset versions}
   * @throws IllegalArgumentException listing every text that does not parse under {@code release},
   *     or when a config appears twice
   */
  public static List<JobConfig> parse(
      List<String> texts, TorchaoRelease release, DeviceArithmetic device, String source) {
    List<QuantConfig> configs = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    boolean onlySyntaxErrors = true;
    for (String text : texts) {
      try {
        configs.add(QuantConfigs.parse(text, release, device));
      } catch (InvalidConfigException e) {
        failures.add(texts.size() == 1 ? e.getMessage() : text + ": " + e.getMessage());
        onlySyntaxErrors &= isSyntaxError(text);
      }
    }
    if (!failures.isEmpty()) {
      // Syntax does not depend on the release, so naming the release would mislead.
      String where = onlySyntaxErrors ? source : source + " under torchao " + release.label();
      if (texts.size() == 1) {
        throw new IllegalArgumentException("Cannot use " + where + ": " + failures.get(0));
      }
      // Each failure starts a line with "  - ", which the command line prints as a list entry.
      throw new IllegalArgumentException("Cannot use " + where + ": " + failures.size() + " of its "
          + texts.size() + " configs are not accepted:\n  - " + String.join("\n  - ", failures));
    }
    List<String> ids;
    try {
      ids = ConfigIds.assign(configs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot use " + source + ": " + e.getMessage()
          + "; list each config once", e);
    }
    List<JobConfig> jobConfigs = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      jobConfigs.add(new JobConfig(ids.get(i), configs.get(i), Quantizers.forConfig(configs.get(i))));
    }
    return jobConfigs;
  }

  private static boolean isSyntaxError(String text) {
    try {
      QuantConfigs.checkSyntax(text);
      return false;
    } catch (InvalidConfigException e) {
      return true;
    }
  }
}
