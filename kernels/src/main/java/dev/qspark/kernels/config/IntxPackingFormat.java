package dev.qspark.kernels.config;

/**
 * The storage format of IntxWeightOnlyConfig version 2, as torchao's {@code IntxPackingFormat}.
 *
 * <p>NOTE: torchao also has opaque formats for its CPU kernels; they are left out because qspark does
 * not produce them, so the parser rejects them as unsupported values.
 */
public enum IntxPackingFormat implements TorchaoStringEnum {
  /** IntxUnpackedToInt8Tensor: one value per int8 byte, no packing. */
  UNPACKED_TO_INT8("unpacked_to_int8");

  private final String value;

  IntxPackingFormat(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }
}
