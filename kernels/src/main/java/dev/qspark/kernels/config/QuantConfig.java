package dev.qspark.kernels.config;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import java.io.Serializable;

/**
 * One torchao weight-only quantization config, with every field the selected release declares, the
 * release whose rules it follows and the device whose arithmetic the kernels reproduce.
 *
 * <p>Instances are immutable and validated on construction: a config that exists is one torchao
 * accepts in its release and qspark can reproduce. {@link QuantConfigs#parse} creates them from
 * torchao's constructor syntax.
 */
public sealed interface QuantConfig extends Serializable
    permits Int4WeightOnlyConfig, IntxWeightOnlyConfig, Int8WeightOnlyConfig, UIntXWeightOnlyConfig {

  /** The torchao class name, e.g. {@code Int4WeightOnlyConfig}. */
  String className();

  /** The config version; 1 for UIntXWeightOnlyConfig, which has no version field and runs the version 1 path. */
  int version();

  TorchaoRelease release();

  /** The device whose scalar division the kernels reproduce; see {@link DeviceArithmetic}. */
  DeviceArithmetic deviceArithmetic();

  /**
   * The config in torchao's constructor syntax with every field of the release spelled out in
   * declaration order, e.g. {@code Int4WeightOnlyConfig(group_size=128, ..., version=2)}.
   * Parsing it under the same release and device returns an equal config.
   */
  String canonical();

  /**
   * A short id in {@code [a-z0-9-]} that names the family, the version and the fields that differ from
   * the release's defaults, e.g. {@code int4-v2-g64}. Distinct configs of one release and device get
   * distinct ids; {@link ConfigIds#assign} makes ids unique across releases and devices as well.
   */
  String configId();
}
