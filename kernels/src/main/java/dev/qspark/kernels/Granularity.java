package dev.qspark.kernels;

import java.io.Serializable;

/**
 * Which elements share one scale and zero point, as torchao's granularity classes.
 *
 * <p>For a 2-D weight {@code [out_features, in_features]}: {@link PerAxis} with axis 0 and
 * {@link PerRow} give one pair per row; {@link PerGroup} one per run of {@code groupSize}
 * consecutive elements of a row; {@link PerTensor} one for the whole weight.
 */
public sealed interface Granularity extends Serializable
    permits Granularity.PerAxis, Granularity.PerGroup, Granularity.PerRow, Granularity.PerTensor {

  /** The granularity in torchao's constructor syntax, e.g. {@code PerGroup(32)}. */
  String torchaoSyntax();

  /** Returns the group size for a row of {@code inFeatures} elements. */
  long groupSize(long inFeatures);

  record PerAxis(int axis) implements Granularity {
    @Override
    public String torchaoSyntax() {
      return "PerAxis(" + axis + ")";
    }

    @Override
    public long groupSize(long inFeatures) {
      return inFeatures;
    }
  }

  record PerGroup(int groupSize) implements Granularity {
    public PerGroup {
      if (groupSize <= 0) {
        throw new IllegalArgumentException("Invalid PerGroup(" + groupSize + "): the group size must be positive");
      }
    }

    @Override
    public String torchaoSyntax() {
      return "PerGroup(" + groupSize + ")";
    }

    @Override
    public long groupSize(long inFeatures) {
      return groupSize;
    }
  }

  record PerRow() implements Granularity {
    @Override
    public String torchaoSyntax() {
      return "PerRow()";
    }

    @Override
    public long groupSize(long inFeatures) {
      return inFeatures;
    }
  }

  /** One scale for the whole tensor; quantizing a block then needs the tensor's {@link TensorRange}. */
  record PerTensor() implements Granularity {
    @Override
    public String torchaoSyntax() {
      return "PerTensor()";
    }

    @Override
    public long groupSize(long inFeatures) {
      return inFeatures;
    }
  }
}
