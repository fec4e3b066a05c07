package dev.qspark.kernels.simd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the scalar and the Vector API dequantize of every format that has a vector path: the
 * output bits ({@link Float#floatToRawIntBits}) must be identical for every weight dtype.
 *
 * <p>Each config dequantizes two kinds of blocks of 1 to 9 rows: blocks the scalar path quantized
 * from seeded weights with edge cases, and blocks of random bytes with {@link EdgeQParams}, which
 * include infinities, NaN, scales whose products overflow, subnormal scales, negative zeros and
 * products that tie halfway between two bfloat16 values. The edge blocks are also dequantized into
 * an array filled with NaN, which the vector path must write in place for float32 and bfloat16. Group sizes from 1 to 130 and row lengths
 * of 7 to 1000 put group starts at odd columns and leave tails that are not a multiple of the
 * vector length.
 */
class DequantizeCrossTest {

  private static final long SEED = 20_261_205L;
  private static final int SHAPES_PER_DTYPE = 4;
  private static final int[] ROW_LENGTHS_PER_ROW = {7, 64, 200, 1000};
  private static final int[] INT4_GROUP_SIZES = {1, 2, 3, 5, 8, 16, 24, 32, 48, 64, 128, 130};
  private static final int[] INTX_GROUP_SIZES = {8, 24, 32, 40, 128};
  /** Calls of 16 x 1040 values each, well past C2's compile thresholds for the vector loops. */
  private static final int COMPILE_CALLS = 400;

  @BeforeAll
  static void vectorPathIsAvailable() {
    assertThat(KernelPath.VECTOR.isAvailable())
        .as("the Vector API module is loaded (surefire passes --add-modules jdk.incubator.vector)")
        .isTrue();
  }

  static Stream<Arguments> configs() {
    List<Arguments> configs = new ArrayList<>();
    for (int groupSize : INT4_GROUP_SIZES) {
      configs.add(Arguments.of(
          "Int4WeightOnlyConfig(group_size=" + groupSize + ", int4_packing_format=\"plain\")", "0.18", "cuda"));
    }
    List<String> granularities = new ArrayList<>(List.of("PerAxis(0)"));
    for (int groupSize : INTX_GROUP_SIZES) {
      granularities.add("PerGroup(" + groupSize + ")");
    }
    for (String granularity : granularities) {
      for (int bits = 1; bits <= 8; bits++) {
        String mapping = bits % 2 == 0 ? "ASYMMETRIC" : "SYMMETRIC";
        configs.add(Arguments.of("IntxWeightOnlyConfig(weight_dtype=torch.int" + bits + ", granularity="
            + granularity + ", mapping_type=MappingType." + mapping + ", version=2)", "0.18", "cpu"));
      }
      configs.add(Arguments.of("IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=" + granularity
          + ", scale_dtype=torch.float32, version=2)", "0.15", "cpu"));
      configs.add(Arguments.of("IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=" + granularity
          + ", mapping_type=MappingType.ASYMMETRIC, version=1)", "0.15", "cpu"));
    }
    for (String groupSize : new String[] {"24", "128", "None"}) {
      configs.add(Arguments.of("Int8WeightOnlyConfig(group_size=" + groupSize + ", version=1)", "0.15", "cpu"));
    }
    for (String granularity : new String[] {"PerRow()", "PerTensor()", "PerGroup(40)"}) {
      configs.add(Arguments.of("Int8WeightOnlyConfig(granularity=" + granularity + ", version=2)", "0.18", "cpu"));
    }
    for (int bits = 1; bits <= 7; bits++) {
      configs.add(Arguments.of("UIntXWeightOnlyConfig(dtype=torch.uint" + bits + ", group_size=32)", "0.15", "cpu"));
    }
    configs.add(Arguments.of(
        "Int4WeightOnlyConfig(group_size=24, int4_packing_format=\"plain_int32\")", "0.18", "xpu"));
    return configs.stream();
  }

  @ParameterizedTest(name = "{0} torchao {1} {2}")
  @MethodSource("configs")
  void vectorDequantizeMatchesScalar(String text, String release, String device) {
    QuantConfig config = QuantConfigs.parse(text, TorchaoRelease.parse(release), DeviceArithmetic.parse(device));
    WeightQuantizer scalar = Quantizers.forConfig(config, KernelPath.SCALAR);
    WeightQuantizer vector = Quantizers.forConfig(config, KernelPath.VECTOR);
    Random random = new Random(SEED ^ text.hashCode());
    int compared = 0;
    for (FloatDtype dtype : FloatDtype.values()) {
      for (int shape = 0; shape < SHAPES_PER_DTYPE; shape++) {
        int rows = shape == 0 ? 1 : 1 + random.nextInt(9);
        int inFeatures = rowLength(text, shape, random);
        if (!scalar.applicability(rows, inFeatures, dtype).isQuantized()) {
          continue;
        }
        String label = String.format("%s %dx%d %s", text, rows, inFeatures, dtype.torchName());
        float[] values = WeightsWithEdgeCases.create(random, rows, inFeatures, dtype);
        TensorRange range = scalar.needsTensorRange() ? TensorRange.of(values) : null;
        QuantizedBlock quantized = scalar.quantize(WeightBlock.wholeTensor(values, rows, inFeatures, dtype), range);
        assertSameBits(scalar.dequantize(quantized, dtype), vector.dequantize(quantized, dtype), label + " quantized");

        QuantizedBlock edge = withRandomBytesAndEdgeQParams(quantized, text, random);
        assertSameBits(scalar.dequantize(edge, dtype), vector.dequantize(edge, dtype), label + " edge qparams");

        float[] out = new float[rows * inFeatures];
        Arrays.fill(out, Float.NaN);
        float[] written = vector.dequantize(edge, dtype, out);
        assertSameBits(scalar.dequantize(edge, dtype), written, label + " edge qparams into an array");
        if (dtype != FloatDtype.FLOAT16) {
          assertThat(written).as("%s: the array written", label).isSameAs(out);
        }
        compared++;
      }
    }
    assertThat(compared).as("blocks compared for %s", text).isGreaterThanOrEqualTo(SHAPES_PER_DTYPE);
  }

  /**
   * Dequantizes one block of edge qparams often enough that C2 compiles the vector loops, whose
   * intrinsics may differ from the Java fallback the first calls run.
   */
  @ParameterizedTest(name = "{0} torchao {1}")
  @MethodSource("compiledConfigs")
  void compiledVectorLoopsMatchScalar(String text, String release) {
    QuantConfig config = QuantConfigs.parse(text, TorchaoRelease.parse(release), DeviceArithmetic.CUDA);
    WeightQuantizer scalar = Quantizers.forConfig(config, KernelPath.SCALAR);
    WeightQuantizer vector = Quantizers.forConfig(config, KernelPath.VECTOR);
    Random random = new Random(SEED ^ text.hashCode());
    int rows = 16;
    int inFeatures = 1040;
    for (FloatDtype dtype : new FloatDtype[] {FloatDtype.BFLOAT16, FloatDtype.FLOAT32}) {
      float[] values = WeightsWithEdgeCases.create(random, rows, inFeatures, dtype);
      QuantizedBlock quantized = scalar.quantize(WeightBlock.wholeTensor(values, rows, inFeatures, dtype), null);
      QuantizedBlock edge = withRandomBytesAndEdgeQParams(quantized, text, random);
      float[] expected = scalar.dequantize(edge, dtype);
      for (int call = 0; call < COMPILE_CALLS; call++) {
        float[] actual = vector.dequantize(edge, dtype);
        if (call == 0 || call == COMPILE_CALLS - 1) {
          assertSameBits(expected, actual, text + " " + dtype.torchName() + " call " + call);
        }
      }
    }
  }

  static Stream<Arguments> compiledConfigs() {
    return Stream.of(
        Arguments.of("Int4WeightOnlyConfig(group_size=130, int4_packing_format=\"plain\")", "0.18"),
        Arguments.of("IntxWeightOnlyConfig(weight_dtype=torch.int8, granularity=PerGroup(40),"
            + " mapping_type=MappingType.ASYMMETRIC)", "0.18"),
        Arguments.of("IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(40),"
            + " scale_dtype=torch.float32)", "0.18"),
        Arguments.of("UIntXWeightOnlyConfig(dtype=torch.uint4, group_size=40)", "0.15"));
  }

  /**
   * Returns a block of the same shape with random bytes in place of the quantized values and
   * {@link EdgeQParams} in place of the scales and zero points. Int4 plain dequantizes from the
   * packed {@code qdata}, the other formats from the unpacked {@code qvalues}; every byte value is
   * used, which covers values outside the format's bounds too.
   */
  private static QuantizedBlock withRandomBytesAndEdgeQParams(QuantizedBlock block, String text, Random random) {
    boolean int4Plain = text.contains("\"plain\"");
    byte[] qvalues = new byte[block.qvalues().length];
    random.nextBytes(qvalues);
    byte[] qdata = int4Plain ? new byte[block.qdata().length] : qvalues;
    random.nextBytes(qdata);
    float[][] qparams = EdgeQParams.create(random, block.scale().length);
    float[] zeroPoint = block.zeroPoint() == null ? null : qparams[1];
    return new QuantizedBlock(
        block.rowCount(), block.inFeatures(), qvalues, qdata, qparams[0], zeroPoint, block.groupsPerRow());
  }

  /** Returns a multiple of the config's group size that Int4 plain can pack, or a fixed length per row. */
  private static int rowLength(String text, int shape, Random random) {
    int groupSize = groupSize(text);
    if (groupSize > 0) {
      int rowLength = groupSize * (1 + random.nextInt(9));
      return rowLength % 2 == 0 ? rowLength : 2 * rowLength;
    }
    return ROW_LENGTHS_PER_ROW[shape % ROW_LENGTHS_PER_ROW.length];
  }

  /** Returns the group size in the config text, or 0 for one group per row or per tensor. */
  private static int groupSize(String text) {
    for (String key : new String[] {"group_size=", "PerGroup("}) {
      int start = text.indexOf(key);
      if (start >= 0) {
        int end = start + key.length();
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
          end++;
        }
        if (end > start + key.length()) {
          return Integer.parseInt(text.substring(start + key.length(), end));
        }
      }
    }
    return 0;
  }

  private static void assertSameBits(float[] expected, float[] actual, String label) {
    assertThat(actual.length).as("%s: output length", label).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      int expectedBits = Float.floatToRawIntBits(expected[i]);
      int actualBits = Float.floatToRawIntBits(actual[i]);
      if (expectedBits != actualBits) {
        assertThat(Integer.toHexString(actualBits))
            .as("%s: bits of value %d (scalar %s, vector %s)", label, i, expected[i], actual[i])
            .isEqualTo(Integer.toHexString(expectedBits));
      }
    }
  }
}
