package dev.qspark.kernels.simd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the scalar and the Vector API tinygemm kernels (Int4WeightOnlyConfig version 1 and
 * {@code tile_packed_to_4d}): qvalues, qdata bytes, the bits of the scales and zero points, and the
 * bits of the dequantized values must be identical.
 *
 * <p>Weights are {@link WeightsWithEdgeCases} plus groups of exact .5 ties after scaling, in
 * blocks of 1 to 9 rows whose in_features needs padding to 1024 or fills it. Besides the configs,
 * the kernels are called directly with float32 and float16 weights, which the formats reject, and
 * with group sizes that are not a multiple of the vector length or start groups at odd columns.
 */
class TinygemmCrossTest {

  private static final long SEED = 20_261_214L;
  private static final int BLOCKS_PER_CONFIG = 8;
  private static final int[] GROUP_SIZES = {32, 64, 128, 256};
  /** Group sizes the formats reject (1024 is not a multiple) but the kernels accept. */
  private static final int[] ODD_GROUP_SIZES = {5, 24, 40, 130};
  /**
   * Bfloat16 mins and maxes of groups whose min quantizes from a quotient of about -1.5, -0.65 and
   * -0.65, because min_val lies above the min.
   */
  private static final float[][] NARROW_RANGES = {
    {0.06201172f, 0.064453125f}, {3.828125f, 4.1875f}, {124.5f, 136.0f}};
  /** Calls of 16 x 768 values each, well past C2's compile thresholds for the vector loops. */
  private static final int COMPILE_CALLS = 400;

  @BeforeAll
  static void vectorPathIsAvailable() {
    assertThat(KernelPath.VECTOR.isAvailable())
        .as("the Vector API module is loaded (surefire passes --add-modules jdk.incubator.vector)")
        .isTrue();
  }

  static Stream<Arguments> configs() {
    List<Arguments> configs = new ArrayList<>();
    // Both formats run only on CUDA; the kernel test below covers the other devices' arithmetic.
    for (int groupSize : GROUP_SIZES) {
      configs.add(Arguments.of("Int4WeightOnlyConfig(group_size=" + groupSize + ", version=1)", "0.15", "cuda"));
      for (String release : new String[] {"0.15", "0.18"}) {
        configs.add(Arguments.of("Int4WeightOnlyConfig(group_size=" + groupSize
            + ", int4_packing_format=\"tile_packed_to_4d\")", release, "cuda"));
      }
    }
    return configs.stream();
  }

  @ParameterizedTest(name = "{0} torchao {1} {2}")
  @MethodSource("configs")
  void vectorPathMatchesScalarPath(String text, String release, String device) {
    var config = QuantConfigs.parse(text, TorchaoRelease.parse(release), DeviceArithmetic.parse(device));
    WeightQuantizer scalar = Quantizers.forConfig(config, KernelPath.SCALAR);
    WeightQuantizer vector = Quantizers.forConfig(config, KernelPath.VECTOR);
    int groupSize = config instanceof dev.qspark.kernels.config.Int4WeightOnlyConfig int4 ? int4.groupSize() : 0;
    Random random = new Random(SEED ^ text.hashCode() ^ release.hashCode() ^ device.hashCode());
    for (int shape = 0; shape < BLOCKS_PER_CONFIG; shape++) {
      int rows = shape == 0 ? 1 : 1 + random.nextInt(9);
      int inFeatures = inFeatures(shape, groupSize, random);
      assertThat(scalar.applicability(rows, inFeatures, FloatDtype.BFLOAT16).isQuantized())
          .as("%s quantizes %d x %d", text, rows, inFeatures)
          .isTrue();
      float[] values = weights(random, rows, inFeatures, groupSize, FloatDtype.BFLOAT16);
      WeightBlock block = WeightBlock.wholeTensor(values, rows, inFeatures, FloatDtype.BFLOAT16);
      String label = String.format("%s torchao %s %s %dx%d", text, release, device, rows, inFeatures);

      QuantizedBlock expected = scalar.quantize(block, null);
      assertSameBlocks(expected, vector.quantize(block, null), label);
      assertSameBits(scalar.dequantize(expected, FloatDtype.BFLOAT16),
          vector.dequantize(expected, FloatDtype.BFLOAT16), label + " dequantized");

      QuantizedBlock edge = withRandomBytesAndEdgeQParams(expected, random);
      assertSameBits(scalar.dequantize(edge, FloatDtype.BFLOAT16),
          vector.dequantize(edge, FloatDtype.BFLOAT16), label + " edge qparams dequantized");
    }
  }

  /** Every weight dtype, device and eps, and group sizes off the vector length, through the kernels themselves. */
  @Test
  void kernelsMatchForEveryDtypeAndGroupSize() {
    TinygemmBlockKernel scalar = Kernels.tinygemm(KernelPath.SCALAR);
    TinygemmBlockKernel vector = Kernels.tinygemm(KernelPath.VECTOR);
    assertThat(vector).isNotSameAs(scalar);
    Random random = new Random(SEED);
    List<Integer> groupSizes = new ArrayList<>();
    for (int groupSize : GROUP_SIZES) {
      groupSizes.add(groupSize);
    }
    for (int groupSize : ODD_GROUP_SIZES) {
      groupSizes.add(groupSize);
    }
    for (FloatDtype dtype : FloatDtype.values()) {
      for (int groupSize : groupSizes) {
        for (float eps : new float[] {1e-6f, dtype.eps(), dtype.smallestNormal()}) {
          for (DeviceArithmetic device : DeviceArithmetic.values()) {
            compareKernels(scalar, vector, dtype, groupSize, eps, device, random);
          }
        }
      }
    }
  }

  private static void compareKernels(TinygemmBlockKernel scalar, TinygemmBlockKernel vector, FloatDtype dtype,
      int groupSize, float eps, DeviceArithmetic device, Random random) {
    int rows = 1 + random.nextInt(5);
    int inFeatures = groupSize * (1 + random.nextInt(2048 / groupSize));
    float[] values = weights(random, rows, inFeatures, groupSize, dtype);
    WeightBlock block = WeightBlock.wholeTensor(values, rows, inFeatures, dtype);
    String label = String.format("%s group %d eps %s %s %dx%d", dtype.torchName(), groupSize, eps, device,
        rows, inFeatures);

    QuantizedBlock expected = scalar.quantize(block, groupSize, eps, device);
    assertSameBlocks(expected, vector.quantize(block, groupSize, eps, device), label);
    assertSameBits(scalar.dequantize(expected, groupSize, dtype), vector.dequantize(expected, groupSize, dtype),
        label + " dequantized");
    QuantizedBlock edge = withRandomBytesAndEdgeQParams(expected, random);
    assertSameBits(scalar.dequantize(edge, groupSize, dtype), vector.dequantize(edge, groupSize, dtype),
        label + " edge qparams dequantized");

    float[] out = new float[rows * inFeatures];
    Arrays.fill(out, Float.NaN);
    float[] written = vector.dequantize(edge, groupSize, dtype, out);
    assertSameBits(scalar.dequantize(edge, groupSize, dtype), written, label + " edge qparams into an array");
    if (dtype != FloatDtype.FLOAT16) {
      assertThat(written).as("%s: the array written", label).isSameAs(out);
    }
  }

  /**
   * Quantizes and dequantizes one block often enough that C2 compiles the vector loops, whose
   * intrinsics may differ from the Java fallback the first calls run.
   */
  @Test
  void compiledVectorLoopsMatchScalar() {
    TinygemmBlockKernel scalar = Kernels.tinygemm(KernelPath.SCALAR);
    TinygemmBlockKernel vector = Kernels.tinygemm(KernelPath.VECTOR);
    Random random = new Random(SEED ^ COMPILE_CALLS);
    int rows = 16;
    int inFeatures = 768;
    int groupSize = 128;
    for (FloatDtype dtype : new FloatDtype[] {FloatDtype.BFLOAT16, FloatDtype.FLOAT32}) {
      float[] values = weights(random, rows, inFeatures, groupSize, dtype);
      WeightBlock block = WeightBlock.wholeTensor(values, rows, inFeatures, dtype);
      QuantizedBlock expected = scalar.quantize(block, groupSize, dtype.eps(), DeviceArithmetic.CUDA);
      QuantizedBlock edge = withRandomBytesAndEdgeQParams(expected, random);
      float[] expectedValues = scalar.dequantize(edge, groupSize, dtype);
      for (int call = 0; call < COMPILE_CALLS; call++) {
        QuantizedBlock actual = vector.quantize(block, groupSize, dtype.eps(), DeviceArithmetic.CUDA);
        float[] actualValues = vector.dequantize(edge, groupSize, dtype);
        if (call == 0 || call == COMPILE_CALLS - 1) {
          String label = dtype.torchName() + " call " + call;
          assertSameBlocks(expected, actual, label);
          assertSameBits(expectedValues, actualValues, label + " edge qparams dequantized");
        }
      }
    }
  }

  /** Returns a multiple of 1024 for shape 1, else a random multiple of the group size, which mostly needs padding. */
  private static int inFeatures(int shape, int groupSize, Random random) {
    if (shape == 1) {
      return 1024 * (1 + random.nextInt(2));
    }
    return groupSize * (1 + random.nextInt(2048 / groupSize));
  }

  /**
   * Returns {@link WeightsWithEdgeCases} with one group of .5 ties and one narrow group away from
   * zero. In the first, a min of 0 or -8 and a max of 15 or 7 give a scale of 1 and a min_val equal
   * to the min, so that {@code x - min_val} is k + 0.5. In the second, bfloat16 rounds min_val
   * above the min by more than half a scale, so that the min quantizes from a quotient of -0.5 or
   * less.
   */
  private static float[] weights(Random random, int rows, int inFeatures, int groupSize, FloatDtype dtype) {
    float[] values = WeightsWithEdgeCases.create(random, rows, inFeatures, dtype);
    if (groupSize < 3) {
      return values;
    }
    int start = groupStart(random, rows, inFeatures, groupSize);
    float min = random.nextBoolean() ? 0f : -8f;
    values[start] = min;
    values[start + 1] = min + 15f;
    for (int i = 2; i < groupSize; i++) {
      values[start + i] = min + random.nextInt(15) + 0.5f;
    }

    start = groupStart(random, rows, inFeatures, groupSize);
    float[] narrowRange = NARROW_RANGES[random.nextInt(NARROW_RANGES.length)];
    values[start] = narrowRange[0];
    values[start + 1] = narrowRange[1];
    for (int i = 2; i < groupSize; i++) {
      float between = narrowRange[0] + random.nextFloat() * (narrowRange[1] - narrowRange[0]);
      values[start + i] = dtype.round(between);
    }
    return values;
  }

  private static int groupStart(Random random, int rows, int inFeatures, int groupSize) {
    return random.nextInt(rows) * inFeatures + random.nextInt(inFeatures / groupSize) * groupSize;
  }

  /** Returns a block of the same shape with random qdata bytes and {@link EdgeQParams}. */
  private static QuantizedBlock withRandomBytesAndEdgeQParams(QuantizedBlock block, Random random) {
    byte[] qdata = new byte[block.qdata().length];
    random.nextBytes(qdata);
    float[][] qparams = EdgeQParams.create(random, block.scale().length);
    return new QuantizedBlock(block.rowCount(), block.inFeatures(), block.qvalues(), qdata, qparams[0], qparams[1],
        block.groupsPerRow());
  }

  private static void assertSameBlocks(QuantizedBlock expected, QuantizedBlock actual, String label) {
    assertSameBytes(expected.qvalues(), actual.qvalues(), label + ": qvalues");
    assertSameBytes(expected.qdata(), actual.qdata(), label + ": qdata");
    assertSameBits(expected.scale(), actual.scale(), label + ": scale");
    assertSameBits(expected.zeroPoint(), actual.zeroPoint(), label + ": zero point");
    assertThat(actual.groupsPerRow()).as("%s: groups per row", label).isEqualTo(expected.groupsPerRow());
  }

  /** Compares byte by byte, so that a failure names the first differing index instead of printing the arrays. */
  private static void assertSameBytes(byte[] expected, byte[] actual, String label) {
    assertThat(actual.length).as("%s: length", label).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] != actual[i]) {
        assertThat(actual[i]).as("%s: byte %d", label, i).isEqualTo(expected[i]);
      }
    }
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
