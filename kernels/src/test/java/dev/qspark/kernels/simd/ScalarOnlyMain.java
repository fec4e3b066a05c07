package dev.qspark.kernels.simd;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.Quantizers;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.config.QuantConfigs;

/**
 * Quantizes and dequantizes a small weight with the default kernel path, for
 * {@link ScalarFallbackTest}'s child JVM.
 */
public final class ScalarOnlyMain {

  private ScalarOnlyMain() {}

  public static void main(String[] args) {
    float[] values = new float[4 * 64];
    for (int i = 0; i < values.length; i++) {
      values[i] = FloatDtype.roundToBfloat16((i % 17 - 8) / 64f);
    }
    for (String text : new String[] {
        "Int4WeightOnlyConfig(group_size=32, int4_packing_format=\"plain\")",
        "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32))"}) {
      WeightQuantizer quantizer =
          Quantizers.forConfig(QuantConfigs.parse(text, TorchaoRelease.V0_18, DeviceArithmetic.CUDA));
      QuantizedBlock block = quantizer.quantize(WeightBlock.wholeTensor(values, 4, 64, FloatDtype.BFLOAT16), null);
      float[] dequantized = quantizer.dequantize(block, FloatDtype.BFLOAT16);
      System.out.println("quantized and dequantized " + dequantized.length + " values with " + text);
    }
    System.out.println("selected path " + KernelPath.selected());
  }
}
