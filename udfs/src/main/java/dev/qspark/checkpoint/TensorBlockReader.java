package dev.qspark.checkpoint;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads blocks of whole rows of the tensors of one safetensors file, for use inside Spark tasks.
 * Each block is one positioned read range ({@link FSDataInputStream#readFully(long, byte[], int,
 * int)}), read through a scratch buffer of fixed size, so a task holds its output block plus at
 * most {@link #scratchBytes()} bytes, whatever the size of the tensor or the file. Not thread-safe:
 * use one reader per task.
 */
public final class TensorBlockReader implements AutoCloseable {

  /** Default scratch buffer size: 1 MiB. */
  public static final int SCRATCH_BYTES_DEFAULT = 1 << 20;

  private final String file;
  private final FSDataInputStream in;
  private final byte[] scratch;

  /** Opens {@code file}, a path or URI as in {@link TensorEntry#file()}, with a 1 MiB scratch buffer. */
  public TensorBlockReader(String file, Configuration conf) throws IOException {
    this(file, conf, SCRATCH_BYTES_DEFAULT);
  }

  /**
   * Opens {@code file} with a scratch buffer of {@code scratchBytes}, at least 8 bytes so that one
   * element of every dtype fits.
   */
  public TensorBlockReader(String file, Configuration conf, int scratchBytes) throws IOException {
    if (scratchBytes < 8) {
      throw new IllegalArgumentException(
          "Cannot use a scratch buffer of " + scratchBytes + " bytes: it must hold at least 8");
    }
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    Path qualified = fs.makeQualified(path);
    this.file = qualified.toString();
    this.in = withoutChecksumPass(fs, qualified).open(qualified);
    this.scratch = new byte[scratchBytes];
  }

  /**
   * Returns the file system to read {@code path} from. The local file system verifies a file against
   * its {@code .crc} companion, and without one still copies every read through its checker, which
   * costs about half as much again as the read itself; a file without a companion is read from the raw
   * file system underneath, with the same bytes.
   */
  private static FileSystem withoutChecksumPass(FileSystem fs, Path path) throws IOException {
    if (fs instanceof ChecksumFileSystem checksummed && !checksummed.exists(checksummed.getChecksumFile(path))) {
      return checksummed.getRawFileSystem();
    }
    return fs;
  }

  /** Fully qualified path of the file this reader reads. */
  public String file() {
    return file;
  }

  public int scratchBytes() {
    return scratch.length;
  }

  /**
   * Reads rows {@code [rowStart, rowStart + rowCount)} of {@code tensor} as floats, row after row.
   *
   * @throws UnsupportedOperationException when the dtype is not F32, BF16 or F16
   * @throws IllegalArgumentException when the rows are out of range or the tensor is in another
   *     file
   */
  public float[] readRows(TensorEntry tensor, long rowStart, int rowCount) throws IOException {
    float[] block = new float[blockLength(tensor, rowStart, rowCount)];
    readRows(tensor, rowStart, rowCount, block);
    return block;
  }

  /**
   * Reads rows {@code [rowStart, rowStart + rowCount)} of {@code tensor} into the start of {@code
   * destination}, which a caller may reuse from block to block.
   *
   * @return the number of values written, {@code rowCount} times the row length
   */
  public int readRows(TensorEntry tensor, long rowStart, int rowCount, float[] destination)
      throws IOException {
    int values = blockLength(tensor, rowStart, rowCount);
    if (!tensor.dtype().isDecodable()) {
      throw new UnsupportedOperationException(
          "Cannot read rows of tensor "
              + tensor.name()
              + " as floats: its dtype is "
              + tensor.dtype()
              + " and only F32, BF16 and F16 are decoded");
    }
    if (destination.length < values) {
      throw new IllegalArgumentException(
          "Cannot read "
              + values
              + " values of tensor "
              + tensor.name()
              + " into a buffer of "
              + destination.length);
    }
    int elementBytes = tensor.dtype().bits() / 8;
    int valuesPerChunk = scratch.length / elementBytes;
    long position = tensor.begin() + rowStart * tensor.rowLength() * elementBytes;
    for (int done = 0; done < values; ) {
      int chunk = Math.min(valuesPerChunk, values - done);
      in.readFully(position, scratch, 0, chunk * elementBytes);
      FloatDecoding.decode(tensor.dtype(), scratch, 0, chunk, destination, done);
      position += (long) chunk * elementBytes;
      done += chunk;
    }
    return values;
  }

  /**
   * Reads the raw little-endian bytes of rows {@code [rowStart, rowStart + rowCount)} of {@code
   * tensor}, of any dtype whose rows end on a byte boundary.
   */
  public byte[] readRowBytes(TensorEntry tensor, long rowStart, int rowCount) throws IOException {
    checkRange(tensor, rowStart, rowCount);
    long rowBits = tensor.rowLength() * tensor.dtype().bits();
    if (rowBits % 8 != 0) {
      throw new UnsupportedOperationException(
          "Cannot read rows of tensor "
              + tensor.name()
              + " as bytes: a row of "
              + tensor.rowLength()
              + " "
              + tensor.dtype()
              + " values fills "
              + rowBits
              + " bits, not a whole number of bytes");
    }
    long length = rowCount * (rowBits / 8);
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "Cannot read "
              + rowCount
              + " rows of tensor "
              + tensor.name()
              + " as one byte array: they fill "
              + length
              + " bytes; read fewer rows per block");
    }
    byte[] bytes = new byte[(int) length];
    in.readFully(tensor.begin() + rowStart * (rowBits / 8), bytes, 0, bytes.length);
    return bytes;
  }

  private int blockLength(TensorEntry tensor, long rowStart, int rowCount) {
    checkRange(tensor, rowStart, rowCount);
    long values = rowCount * tensor.rowLength();
    if (values > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "Cannot read "
              + rowCount
              + " rows of tensor "
              + tensor.name()
              + " into one array: they hold "
              + values
              + " values; read fewer rows per block");
    }
    return (int) values;
  }

  private void checkRange(TensorEntry tensor, long rowStart, int rowCount) {
    if (!tensor.file().equals(file)) {
      throw new IllegalArgumentException(
          "Cannot read tensor " + tensor.name() + " from " + file + ": it is in " + tensor.file());
    }
    if (rowStart < 0 || rowCount < 0 || rowStart > tensor.rowCount() - rowCount) {
      throw new IllegalArgumentException(
          "Cannot read rows ["
              + rowStart
              + ", "
              + (rowStart + rowCount)
              + ") of tensor "
              + tensor.name()
              + ": it has "
              + tensor.rowCount()
              + " rows");
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
