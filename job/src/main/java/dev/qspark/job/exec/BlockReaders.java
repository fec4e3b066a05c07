package dev.qspark.job.exec;

import dev.qspark.checkpoint.TensorBlockReader;
import dev.qspark.checkpoint.TensorEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** The readers of one task: one {@link TensorBlockReader} per safetensors file, opened on first use. */
final class BlockReaders implements AutoCloseable {

  private final Configuration conf;
  private final Map<String, TensorBlockReader> readers = new HashMap<>();

  BlockReaders(Configuration conf) {
    this.conf = conf;
  }

  /** Reads and decodes rows {@code [rowStart, rowStart + rowCount)} of a tensor. */
  float[] readRows(TensorEntry tensor, long rowStart, int rowCount) {
    float[] values = new float[Math.multiplyExact(rowCount, Math.toIntExact(tensor.rowLength()))];
    readRows(tensor, rowStart, rowCount, values);
    return values;
  }

  /** Reads and decodes rows {@code [rowStart, rowStart + rowCount)} of a tensor into the start of {@code values}. */
  void readRows(TensorEntry tensor, long rowStart, int rowCount, float[] values) {
    try {
      TensorBlockReader reader = readers.get(tensor.file());
      if (reader == null) {
        reader = new TensorBlockReader(tensor.file(), conf);
        readers.put(tensor.file(), reader);
      }
      reader.readRows(tensor, rowStart, rowCount, values);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read rows [" + rowStart + ", " + (rowStart + rowCount) + ") of tensor " + tensor.name()
              + " from " + tensor.file() + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    IOException failure = null;
    for (TensorBlockReader reader : readers.values()) {
      try {
        reader.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    readers.clear();
    if (failure != null) {
      throw new UncheckedIOException("Cannot close a checkpoint file after reading: " + failure.getMessage(), failure);
    }
  }
}
