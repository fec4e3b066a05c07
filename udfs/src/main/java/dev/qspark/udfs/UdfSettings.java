package dev.qspark.udfs;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.io.Serializable;
import org.apache.spark.sql.RuntimeConfig;

/**
 * The torchao release and device arithmetic the SQL functions parse configs with, read once on the
 * driver from the Spark conf and shipped to executors inside each function object.
 *
 * @param release the torchao release whose defaults and rules apply
 * @param device the device whose arithmetic to reproduce, or null for each format's default
 */
public record UdfSettings(TorchaoRelease release, DeviceArithmetic device) implements Serializable {

  /** Spark conf key of the torchao release, e.g. {@code 0.17}. */
  public static final String TORCHAO_KEY = "spark.qspark.torchao";

  /** The release used when {@link #TORCHAO_KEY} is unset. */
  public static final String TORCHAO_DEFAULT = TorchaoRelease.DEFAULT.label();

  /** Spark conf key of the device arithmetic: {@code cpu}, {@code cuda} or {@code xpu}. */
  public static final String DEVICE_ARITHMETIC_KEY = "spark.qspark.deviceArithmetic";

  public UdfSettings {
    if (release == null) {
      throw new IllegalArgumentException("Invalid qspark function settings: the torchao release must be set");
    }
  }

  /**
   * Reads the settings from a session's conf.
   *
   * @throws IllegalArgumentException naming the key when a value is not a known release or device
   */
  public static UdfSettings fromConf(RuntimeConfig conf) {
    String releaseText = conf.get(TORCHAO_KEY, TORCHAO_DEFAULT);
    String deviceText = conf.getOption(DEVICE_ARITHMETIC_KEY).getOrElse(() -> null);
    TorchaoRelease release;
    try {
      release = TorchaoRelease.parse(releaseText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid " + TORCHAO_KEY + ": " + e.getMessage(), e);
    }
    DeviceArithmetic device = null;
    if (deviceText != null && !deviceText.isBlank()) {
      try {
        device = DeviceArithmetic.parse(deviceText);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid " + DEVICE_ARITHMETIC_KEY + ": " + e.getMessage(), e);
      }
    }
    return new UdfSettings(release, device);
  }
}
