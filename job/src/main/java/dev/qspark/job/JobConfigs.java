package dev.qspark.job;

import dev.qspark.job.plan.JobConfig;
import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.config.ConfigIds;
import dev.qspark.kernels.config.Int4WeightOnlyConfig;
import dev.qspark.kernels.config.InvalidConfigException;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parses config texts under a release and pairs each config with its id and kernel. */
public final class JobConfigs {

  private static final Logger LOG = LoggerFactory.getLogger(JobConfigs.class);

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
      unreadFieldsWarning(ids.get(i), configs.get(i)).ifPresent(LOG::warn);
    }
    return jobConfigs;
  }

  /**
   * Returns a warning for a version 2 Int4 config that sets version 1 fields, which torchao 0.15
   * accepts and then does not read, so a user does not take {@code use_hqq=True} for HQQ.
   */
  static Optional<String> unreadFieldsWarning(String configId, QuantConfig config) {
    if (!(config instanceof Int4WeightOnlyConfig int4)) {
      return Optional.empty();
    }
    List<String> fields = int4.unreadVersion1Fields();
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Config " + configId + " sets " + String.join(", ", fields)
        + ", which version 2 of Int4WeightOnlyConfig does not read under torchao 0.15, so its output equals the"
        + " same config's without those fields; only version=1 reads them");
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
