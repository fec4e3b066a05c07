package dev.qspark.checkpoint;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a checkpoint: where its bytes are and how to interpret them. Small and
 * serializable, so planners ship it to Spark executors, which read the bytes with {@link
 * TensorBlockReader}.
 *
 * <p>A tensor is read as rows: the first dimension counts the rows and the remaining dimensions
 * form one row, so a {@code [4096, 688]} weight has 4096 rows of 688 values. A 1-D tensor is one
 * row, and a 0-D (scalar) tensor is one row of one value.
 *
 * @param file fully qualified path of the safetensors file, for example {@code file:/models/a.safetensors}
 * @param name tensor name from the header
 * @param dtype element type
 * @param shape dimensions, outermost first; do not modify
 * @param begin absolute byte offset of the first byte in {@code file}
 * @param end absolute byte offset just past the last byte in {@code file}
 */
public record TensorEntry(String file, String name, Dtype dtype, long[] shape, long begin, long end)
    implements Serializable {

  public TensorEntry {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
  }

  /** Number of elements, the product of the dimensions (1 for a scalar). */
  public long elementCount() {
    long count = 1;
    for (long dim : shape) {
      count *= dim;
    }
    return count;
  }

  public long byteLength() {
    return end - begin;
  }

  public int rank() {
    return shape.length;
  }

  /** Number of rows: the first dimension, or 1 for a 1-D or 0-D tensor. */
  public long rowCount() {
    return shape.length <= 1 ? 1 : shape[0];
  }

  /** Number of values in one row: the product of all dimensions but the first, or all values of a
   * 1-D or 0-D tensor. */
  public long rowLength() {
    if (shape.length <= 1) {
      return elementCount();
    }
    long length = 1;
    for (int i = 1; i < shape.length; i++) {
      length *= shape[i];
    }
    return length;
  }

  /** Shape as {@code [4096, 688]}. */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorEntry that
        && file.equals(that.file)
        && name.equals(that.name)
        && dtype == that.dtype
        && Arrays.equals(shape, that.shape)
        && begin == that.begin
        && end == that.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, name, dtype, Arrays.hashCode(shape), begin, end);
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + shapeString() + " in " + file + " at [" + begin + ", " + end + ")";
  }
}
