package dev.qspark.job.report;

import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.QuantizedBlock;
import dev.qspark.kernels.WeightQuantizer;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Compares one row block of a tensor as stored by version 1 and version 2 of a config. Runs on the
 * executors. Each version's block is a row with the {@link #COLUMNS} of {@code quantized/}.
 *
 * @param v1Quantizer dequantizes version 1 blocks, or null when the report cannot
 * @param v2Quantizer dequantizes version 2 blocks, or null when the report cannot
 * @param bytesPerElement input bytes per element of each tensor, to tell float32 from 16-bit weights
 */
record BlockDifferenceFunction(
    WeightQuantizer v1Quantizer, WeightQuantizer v2Quantizer, Map<String, Integer> bytesPerElement)
    implements Serializable {

  /** The columns of {@code quantized/} that {@link #compare} reads from each version's block. */
  static final List<String> COLUMNS =
      List.of("tensor", "row_start", "row_count", "shape", "qdata", "scale", "zero_point", "scale_dtype");

  /** Compares the same block of one tensor as stored by version 1 ({@code v1}) and version 2 ({@code v2}). */
  BlockDifference compare(Row v1, Row v2) {
    String tensor = v1.getAs("tensor");
    int rowCount = v1.<Integer>getAs("row_count");
    List<Long> shape = v1.getList(v1.fieldIndex("shape"));
    int inFeatures = Math.toIntExact(shape.get(shape.size() - 1));
    float[] v1Scale = floats(v1, "scale");
    float[] v2Scale = floats(v2, "scale");
    long values = (long) rowCount * inFeatures;

    long groups = Math.max(v1Scale.length, v2Scale.length);
    long differingScales = -1;
    if (v1Scale.length == v2Scale.length) {
      differingScales = 0;
      for (int i = 0; i < v1Scale.length; i++) {
        if (Float.compare(v1Scale[i], v2Scale[i]) != 0) {
          differingScales++;
        }
      }
    }

    if (v1Quantizer == null || v2Quantizer == null) {
      return new BlockDifference(values, -1, groups, differingScales, Double.NaN);
    }
    FloatDtype dtype = weightDtype(tensor, v1.getAs("scale_dtype"));
    ValueDifferences differences = ChunkedValueComparison.compare(
        v1Quantizer, storedBlock(v1, rowCount, inFeatures, v1Scale),
        v2Quantizer, storedBlock(v2, rowCount, inFeatures, v2Scale),
        dtype, ChunkedValueComparison.CHUNK_VALUES);
    return new BlockDifference(values, differences.differing(), groups, differingScales, differences.maxAbsDifference());
  }

  /**
   * The weight's dtype: float32 for 4 bytes per element; for 2 bytes, the version 1 scale dtype when
   * it is a 16-bit float (version 1 stores scales in the input dtype), else bfloat16.
   */
  private FloatDtype weightDtype(String tensor, String v1ScaleDtype) {
    Integer bytes = bytesPerElement.get(tensor);
    if (bytes != null && bytes == 4) {
      return FloatDtype.FLOAT32;
    }
    return "float16".equals(v1ScaleDtype) ? FloatDtype.FLOAT16 : FloatDtype.BFLOAT16;
  }

  /**
   * Rebuilds a block from its stored columns. Formats that store one int8 per value keep the
   * integers in {@code qdata}, so it doubles as the unpacked values; packed formats dequantize from
   * {@code qdata} alone. A per-tensor scale is stored once per block, hence at least one group per row.
   */
  private static QuantizedBlock storedBlock(Row row, int rowCount, int inFeatures, float[] scale) {
    byte[] qdata = row.getAs("qdata");
    float[] zeroPoint = row.isNullAt(row.fieldIndex("zero_point")) ? null : floats(row, "zero_point");
    byte[] qvalues = qdata.length == (long) rowCount * inFeatures ? qdata : null;
    int groupsPerRow = rowCount == 0 ? 0 : Math.max(1, scale.length / rowCount);
    return new QuantizedBlock(rowCount, inFeatures, qvalues, qdata, scale, zeroPoint, groupsPerRow);
  }

  private static float[] floats(Row row, String column) {
    List<Float> list = row.getList(row.fieldIndex(column));
    float[] values = new float[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = list.get(i);
    }
    return values;
  }
}
