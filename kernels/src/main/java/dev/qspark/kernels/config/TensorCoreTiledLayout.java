package dev.qspark.kernels.config;

import java.io.Serializable;

/**
 * torchao's {@code TensorCoreTiledLayout}, the default layout of Int4WeightOnlyConfig version 1.
 *
 * <p>{@code inner_k_tiles} only shapes the device tile layout that {@code _convert_weight_to_int4pack}
 * applies after quantization; it does not change the quantized values.
 *
 * @param innerKTiles 2, 4 or 8
 */
public record TensorCoreTiledLayout(int innerKTiles) implements Serializable {

  public static final TensorCoreTiledLayout DEFAULT = new TensorCoreTiledLayout(8);

  public TensorCoreTiledLayout {
    if (innerKTiles != 2 && innerKTiles != 4 && innerKTiles != 8) {
      throw new InvalidConfigException(
          "Invalid TensorCoreTiledLayout: inner_k_tiles=" + innerKTiles + " is not supported; expected 2, 4 or 8");
    }
  }

  public String torchaoSyntax() {
    return "TensorCoreTiledLayout(inner_k_tiles=" + innerKTiles + ")";
  }
}
