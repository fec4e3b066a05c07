package dev.qspark.kernels.config;

import dev.qspark.kernels.TorchaoRelease;

/** The int4 data layout of Int4WeightOnlyConfig version 2, as torchao's {@code Int4PackingFormat}. */
public enum Int4PackingFormat implements TorchaoStringEnum {
  /** Int4Tensor: two values per byte, even column in the low nibble. */
  PLAIN("plain", TorchaoRelease.V0_18),
  /** Int4PreshuffledTensor: the fbgemm kernel's shuffled layout. */
  PRESHUFFLED("preshuffled", TorchaoRelease.V0_18),
  /** Int4PlainInt32Tensor: XPU and NPU only. */
  PLAIN_INT32("plain_int32", TorchaoRelease.V0_18),
  /** Int4TilePackedTo4dTensor: tinygemm's tile layout, CUDA only. */
  TILE_PACKED_TO_4D("tile_packed_to_4d", TorchaoRelease.V0_18),
  /** Int4MarlinSparseTensor: 2:4 sparse Marlin layout, in torchao up to 0.15. */
  MARLIN_SPARSE("marlin_sparse", TorchaoRelease.V0_15),
  /** Int4OpaqueTensor: a CPU kernel layout, in the core config up to 0.15 and a prototype afterwards. */
  OPAQUE("opaque", TorchaoRelease.V0_15);

  private final String value;
  private final TorchaoRelease lastRelease;

  Int4PackingFormat(String value, TorchaoRelease lastRelease) {
    this.value = value;
    this.lastRelease = lastRelease;
  }

  @Override
  public String value() {
    return value;
  }

  /** Returns whether Int4WeightOnlyConfig of {@code release} accepts this format. */
  public boolean existsIn(TorchaoRelease release) {
    return release.isAtMost(lastRelease);
  }
}
