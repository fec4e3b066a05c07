package dev.qspark.kernels.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.NonFiniteValuesException;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfig;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the scalar and the Vector API kernel paths on seeded random weights of odd shapes, for
 * every format that has a vector path: the quantized values, the packed bytes and the bits of the
 * scales and zero points must be identical.
 *
 * <p>Weights have 1 to 9 rows and rows of one to nine groups (or odd lengths per row), in float32,
 * bfloat16 and float16 (which runs scalar on both paths). They contain an all-zero group, a
 * constant group, a 40.0 outlier, a negative-only group, values near 1e-7 and groups whose values
 * land exactly on .5 after scaling, so that round-half-to-even decides.
 */
class ScalarVectorCrossTest {

  private static final long SEED = 20_260_901L;
  private static final int SHAPES_PER_DTYPE = 4;
  private static final int[] ROW_LENGTHS_PER_ROW = {7, 64, 200, 1000};
  private static final int[] GROUP_SIZES = {32, 64, 128};

  @BeforeAll
  static void vectorPathIsAvailable() {
    assertThat(KernelPath.VECTOR.isAvailable())
        .as("the Vector API module is loaded (surefire passes --add-modules jdk.incubator.vector)")
        .isTrue();
  }

  static Stream<Arguments> configs() {
    List<Arguments> configs = new ArrayList<>();
    for (String granularity : new String[] {"PerGroup(32)", "PerGroup(64)", "PerGroup(128)", "PerAxis(0)"}) {
      for (String mapping : new String[] {"SYMMETRIC", "ASYMMETRIC", "SYMMETRIC_NO_CLIPPING_ERR"}) {
        for (int bits : new int[] {2, 4, 8}) {
          String text = "IntxWeightOnlyConfig(weight_dtype=torch.int" + bits + ", granularity=" + granularity
              + ", mapping_type=MappingType." + mapping + ", version=2)";
          configs.add(Arguments.of(text, "0.15", "cpu"));
          configs.add(Arguments.of(text, "0.18", "cuda"));
        }
      }
      configs.add(Arguments.of("IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=" + granularity
          + ", scale_dtype=torch.float32, version=2)", "0.15", "cpu"));
      configs.add(Arguments.of("IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=" + granularity
          + ", scale_dtype=torch.bfloat16, version=2)", "0.18", "cpu"));
      for (String mapping : new String[] {"SYMMETRIC", "ASYMMETRIC"}) {
        configs.add(Arguments.of("IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=" + granularity
            + ", mapping_type=MappingType." + mapping + ", version=1)", "0.15", "cpu"));
      }
    }
    for (String groupSize : new String[] {"32", "64", "128", "None"}) {
      configs.add(Arguments.of("Int8WeightOnlyConfig(group_size=" + groupSize + ", version=1)", "0.15", "cpu"));
      configs.add(Arguments.of("Int8WeightOnlyConfig(group_size=" + groupSize + ", version=1)", "0.17", "cuda"));
    }
    for (String release : new String[] {"0.15", "0.16", "0.18"}) {
      configs.add(Arguments.of("Int8WeightOnlyConfig(granularity=PerRow(), version=2)", release, "cpu"));
      configs.add(Arguments.of("Int8WeightOnlyConfig(granularity=PerTensor(), version=2)", release, "cpu"));
    }
    for (int groupSize : GROUP_SIZES) {
      configs.add(Arguments.of("Int8WeightOnlyConfig(granularity=PerGroup(" + groupSize + "), version=2)", "0.17", "cpu"));
      configs.add(Arguments.of("Int8WeightOnlyConfig(granularity=PerGroup(" + groupSize + "), version=2)", "0.18", "cuda"));
      for (int bits = 1; bits <= 7; bits++) {
        configs.add(Arguments.of(
            "UIntXWeightOnlyConfig(dtype=torch.uint" + bits + ", group_size=" + groupSize + ")", "0.15", "cpu"));
      }
      configs.add(Arguments.of("Int4WeightOnlyConfig(group_size=" + groupSize
          + ", int4_packing_format=\"plain_int32\")", "0.18", "xpu"));
      for (String device : new String[] {"cpu", "cuda"}) {
        configs.add(Arguments.of("Int4WeightOnlyConfig(group_size=" + groupSize
            + ", int4_packing_format=\"plain\")", "0.15", device));
        configs.add(Arguments.of("Int4WeightOnlyConfig(group_size=" + groupSize
            + ", int4_packing_format=\"plain\")", "0.18", device));
      }
    }
    return configs.stream();
  }

  @ParameterizedTest(name = "{0} torchao {1} {2}")
  @MethodSource("configs")
  void vectorPathMatchesScalarPath(String text, String release, String device) {
    QuantConfig config = QuantConfigs.parse(text, TorchaoRelease.parse(release), DeviceArithmetic.parse(device));
    WeightQuantizer scalar = Quantizers.forConfig(config, KernelPath.SCALAR);
    WeightQuantizer vector = Quantizers.forConfig(config, KernelPath.VECTOR);
    Random random = new Random(SEED ^ text.hashCode() ^ release.hashCode() ^ device.hashCode());
    int compared = 0;
    for (FloatDtype dtype : FloatDtype.values()) {
      for (int shape = 0; shape < SHAPES_PER_DTYPE; shape++) {
        int rows = 1 + random.nextInt(9);
        int inFeatures = rowLength(text, shape, random);
        if (!scalar.applicability(rows, inFeatures, dtype).isQuantized()) {
          continue;
        }
        float[] values = WeightsWithEdgeCases.create(random, rows, inFeatures, dtype);
        String label = String.format("%s %dx%d %s", text, rows, inFeatures, dtype.torchName());
        assertSameBlocks(scalar, vector, WeightBlock.wholeTensor(values, rows, inFeatures, dtype), label);
        compared++;
      }
    }
    assertThat(compared).as("weights compared for %s", text).isGreaterThanOrEqualTo(SHAPES_PER_DTYPE);
  }

  @ParameterizedTest(name = "{0} torchao {1} {2}")
  @MethodSource("configs")
  void vectorPathRejectsNonFiniteValuesLikeScalarPath(String text, String release, String device) {
    QuantConfig config = QuantConfigs.parse(text, TorchaoRelease.parse(release), DeviceArithmetic.parse(device));
    WeightQuantizer scalar = Quantizers.forConfig(config, KernelPath.SCALAR);
    WeightQuantizer vector = Quantizers.forConfig(config, KernelPath.VECTOR);
    int rows = 3;
    int inFeatures = 256;
    float[] values = new float[rows * inFeatures];
    values[5] = Float.NaN;
    values[inFeatures + 200] = Float.POSITIVE_INFINITY;
    values[2 * inFeatures + 255] = Float.NEGATIVE_INFINITY;
    WeightBlock block = WeightBlock.wholeTensor(values, rows, inFeatures, FloatDtype.BFLOAT16);
    TensorRange range = scalar.needsTensorRange() ? new TensorRange(-1f, 1f) : null;
    if (!scalar.applicability(rows, inFeatures, FloatDtype.BFLOAT16).isQuantized()) {
      return;
    }

    Throwable fromScalar = catchThrowable(() -> scalar.quantize(block, range));
    assertThat(fromScalar).isInstanceOf(NonFiniteValuesException.class);
    assertThatThrownBy(() -> vector.quantize(block, range))
        .isInstanceOf(NonFiniteValuesException.class)
        .hasMessage(fromScalar.getMessage());
  }

  private static Throwable catchThrowable(Runnable action) {
    try {
      action.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** A multiple of the config's group size, or for per-row configs one of a few odd and even lengths. */
  private static int rowLength(String text, int shape, Random random) {
    for (int groupSize : GROUP_SIZES) {
      if (text.contains("(" + groupSize + ")") || text.contains("group_size=" + groupSize + ",")
          || text.contains("group_size=" + groupSize + ")")) {
        return groupSize * (1 + random.nextInt(9));
      }
    }
    return ROW_LENGTHS_PER_ROW[shape % ROW_LENGTHS_PER_ROW.length];
  }

  private static void assertSameBlocks(WeightQuantizer scalar, WeightQuantizer vector, WeightBlock block, String label) {
    TensorRange range = scalar.needsTensorRange() ? TensorRange.of(block.values()) : null;
    QuantizedBlock expected = scalar.quantize(block, range);
    QuantizedBlock actual = vector.quantize(block, range);
    assertThat(actual.qvalues()).as("%s: qvalues", label).isEqualTo(expected.qvalues());
    assertThat(actual.qdata()).as("%s: qdata", label).isEqualTo(expected.qdata());
    assertThat(bits(actual.scale())).as("%s: scale bits", label).isEqualTo(bits(expected.scale()));
    assertThat(bits(actual.zeroPoint())).as("%s: zero point bits", label).isEqualTo(bits(expected.zeroPoint()));
    assertThat(actual.groupsPerRow()).as("%s: groups per row", label).isEqualTo(expected.groupsPerRow());
  }

  private static int[] bits(float[] values) {
    if (values == null) {
      return null;
    }
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }
}
