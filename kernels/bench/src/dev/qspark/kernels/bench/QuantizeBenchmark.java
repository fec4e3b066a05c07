package dev.qspark.kernels.bench;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Quantizes one 4096 x 4096 bfloat16 weight per operation on one thread and reports params per
 * second ({@code ops/s} with one op per parameter).
 *
 * <p>Families: {@code int4-plain} is Int4WeightOnlyConfig plain (CUDA arithmetic, torchao 0.18);
 * {@code intx-int4-sym} and {@code intx-int8-asym} are IntxWeightOnlyConfig version 2 on torchao 0.18
 * (bfloat16 arithmetic throughout); {@code int8-v2} is Int8WeightOnlyConfig version 2 on 0.18 (float32
 * scale); {@code int4-v1} is Int4WeightOnlyConfig version 1 (tinygemm, CUDA arithmetic, torchao 0.15,
 * the last release that has it). {@code group} {@code row} means one group per row: PerAxis(0),
 * PerRow() or group_size=4096.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QuantizeBenchmark {

  static final int ROWS = 4096;
  static final int COLUMNS = 4096;
  static final int PARAMS = ROWS * COLUMNS;

  @Param({"int4-plain", "intx-int4-sym", "intx-int8-asym", "int8-v2", "int4-v1"})
  public String family;

  @Param({"32", "64", "128", "row"})
  public String group;

  @Param({"VECTOR", "SCALAR"})
  public String path;

  private WeightQuantizer quantizer;
  private WeightBlock block;
  private TensorRange range;
  private QuantizedBlock quantized;

  @Setup
  public void setUp() {
    float[] values = gaussianBfloat16(new Random(42));
    block = WeightBlock.wholeTensor(values, ROWS, COLUMNS, FloatDtype.BFLOAT16);
    TorchaoRelease release = family.equals("int4-v1") ? TorchaoRelease.V0_15 : TorchaoRelease.V0_18;
    quantizer = Quantizers.forConfig(
        QuantConfigs.parse(configText(), release, DeviceArithmetic.CUDA), KernelPath.valueOf(path));
    range = quantizer.needsTensorRange() ? TensorRange.of(values) : null;
  }

  @Benchmark
  @OperationsPerInvocation(PARAMS)
  public QuantizedBlock quantize() {
    return quantizer.quantize(block, range);
  }

  /** Quantizes the weight once for {@link #dequantize}. {@link CpuTimeRun} calls it after {@link #setUp}. */
  public void setUpDequantize() {
    quantized = quantize();
  }

  /**
   * Dequantizes the block {@link #setUpDequantize} quantized, to bfloat16, as the job does for its
   * error metrics. It is not a JMH benchmark: only {@link CpuTimeRun} measures it.
   */
  public float[] dequantize() {
    return quantizer.dequantize(quantized, FloatDtype.BFLOAT16);
  }

  private String configText() {
    boolean perRow = group.equals("row");
    String intxGranularity = perRow ? "PerAxis(0)" : "PerGroup(" + group + ")";
    return switch (family) {
      case "int4-plain" -> "Int4WeightOnlyConfig(group_size=" + (perRow ? COLUMNS : group)
          + ", int4_packing_format=\"plain\")";
      case "intx-int4-sym" -> "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=" + intxGranularity
          + ", mapping_type=MappingType.SYMMETRIC)";
      case "intx-int8-asym" -> "IntxWeightOnlyConfig(weight_dtype=torch.int8, granularity=" + intxGranularity
          + ", mapping_type=MappingType.ASYMMETRIC)";
      case "int8-v2" -> "Int8WeightOnlyConfig(granularity=" + (perRow ? "PerRow()" : "PerGroup(" + group + ")")
          + ", version=2)";
      case "int4-v1" -> "Int4WeightOnlyConfig(group_size=" + (perRow ? COLUMNS : group) + ", version=1)";
      default -> throw new IllegalArgumentException("Invalid benchmark family '" + family
          + "': expected int4-plain, intx-int4-sym, intx-int8-asym, int8-v2 or int4-v1");
    };
  }

  /** Gaussian values with standard deviation 0.02, rounded to bfloat16, as in a trained linear layer. */
  static float[] gaussianBfloat16(Random random) {
    float[] values = new float[PARAMS];
    for (int i = 0; i < values.length; i++) {
      values[i] = FloatDtype.roundToBfloat16((float) (random.nextGaussian() * 0.02));
    }
    return values;
  }
}
