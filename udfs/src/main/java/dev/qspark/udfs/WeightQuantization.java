package dev.qspark.udfs;

import dev.qspark.kernels.Applicability;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.io.Serializable;
import java.util.List;
import scala.collection.Seq;

/**
 * Quantizes one whole weight passed as SQL values: checks the arguments, finds the config's
 * quantizer and runs it on the weight as a single block, so per-tensor configs see the whole tensor.
 */
final class WeightQuantization implements Serializable {

  private static final long serialVersionUID = 1L;

  private final UdfSettings settings;

  WeightQuantization(UdfSettings settings) {
    this.settings = settings;
  }

  /**
   * Quantizes {@code values}, a {@code [values.length / inFeatures, inFeatures]} weight in row-major order.
   *
   * @param dtype {@code float32}, {@code bfloat16} or {@code float16}; every value must be exactly one of its numbers
   * @param config a config in torchao syntax
   * @throws IllegalArgumentException naming the config and the bad argument when an argument is
   *     invalid, the config is invalid, or torchao skips or rejects the weight under it
   */
  QuantizedBlock quantize(Seq<Object> values, int inFeatures, String dtype, String config) {
    FloatDtype floatDtype = parseDtype(dtype, config);
    float[] weight = toFloats(values, floatDtype, config);
    if (inFeatures < 1 || weight.length == 0 || weight.length % inFeatures != 0) {
      throw new IllegalArgumentException("Cannot quantize with config " + config + ": in_features " + inFeatures
          + " must be positive and divide the " + weight.length + " values");
    }
    int outFeatures = weight.length / inFeatures;

    WeightQuantizer quantizer;
    try {
      quantizer = QuantizerCache.forConfig(config, settings);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      throw new IllegalArgumentException("Cannot quantize with config " + config + " in torchao "
          + settings.release().label() + ": " + e.getMessage(), e);
    }
    Applicability applicability = quantizer.applicability(outFeatures, inFeatures, floatDtype);
    if (!applicability.isQuantized()) {
      // A skip's reason already states that torchao leaves the weight unquantized.
      String cause = applicability.status() == Applicability.Status.SKIP
          ? applicability.reason() + "; leave such weights out of the query, e.g. with a condition on in_features"
          : "torchao rejects it because " + applicability.reason();
      throw new IllegalArgumentException("Cannot quantize a " + outFeatures + " x " + inFeatures + " "
          + floatDtype.torchName() + " weight with config " + config + ": " + cause);
    }
    WeightBlock block = WeightBlock.wholeTensor(weight, outFeatures, inFeatures, floatDtype);
    TensorRange range = quantizer.needsTensorRange() ? TensorRange.of(weight) : null;
    try {
      return quantizer.quantize(block, range);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot quantize a " + outFeatures + " x " + inFeatures + " "
          + floatDtype.torchName() + " weight with config " + config + ": " + e.getMessage(), e);
    }
  }

  private static FloatDtype parseDtype(String dtype, String config) {
    try {
      return FloatDtype.fromTorchName(dtype);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot quantize with config " + config + ": " + e.getMessage(), e);
    }
  }

  /** Unboxes the SQL array, rejecting null elements and values that are not numbers of {@code dtype}. */
  private static float[] toFloats(Seq<Object> values, FloatDtype dtype, String config) {
    List<Object> list = scala.jdk.javaapi.CollectionConverters.asJava(values);
    float[] weight = new float[list.size()];
    for (int i = 0; i < weight.length; i++) {
      Object element = list.get(i);
      if (element == null) {
        throw new IllegalArgumentException("Cannot quantize with config " + config + ": value " + i
            + " is NULL; a weight must contain numbers only");
      }
      float value = (Float) element;
      if (Float.floatToIntBits(dtype.round(value)) != Float.floatToIntBits(value)) {
        throw new IllegalArgumentException("Cannot quantize with config " + config + ": value " + i + " ("
            + value + ") is not exactly representable in " + dtype.torchName() + "; pass the weight's "
            + dtype.torchName() + " values or the dtype they were read in");
      }
      weight[i] = value;
    }
    return weight;
  }
}
