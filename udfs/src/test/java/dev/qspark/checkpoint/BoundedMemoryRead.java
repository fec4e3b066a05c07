package dev.qspark.checkpoint;

import org.apache.hadoop.conf.Configuration;

/**
 * Reads one whole shard of a {@link LargeCheckpoint} in blocks and checks every value. Run in a
 * separate JVM with a heap smaller than the tensor, it shows that reading needs memory for one
 * block only. Exits with 0 when all values match and 1 otherwise.
 */
public final class BoundedMemoryRead {

  private BoundedMemoryRead() {}

  public static void main(String[] args) throws Exception {
    String model = args[0];
    int shard = Integer.parseInt(args[1]);
    int rowsPerBlock = Integer.parseInt(args[2]);

    Configuration conf = new Configuration();
    Checkpoint checkpoint = Checkpoint.open(model, conf, CheckpointOptions.DEFAULT);
    TensorEntry tensor = checkpoint.tensor(LargeCheckpoint.tensorName(shard)).orElseThrow();
    float[] block = new float[(int) (rowsPerBlock * tensor.rowLength())];
    try (TensorBlockReader reader = new TensorBlockReader(tensor.file(), conf)) {
      for (long row = 0; row < tensor.rowCount(); row += rowsPerBlock) {
        int rows = (int) Math.min(rowsPerBlock, tensor.rowCount() - row);
        int count = reader.readRows(tensor, row, rows, block);
        String mismatch = LargeCheckpoint.firstMismatch(shard, row, block, count);
        if (mismatch != null) {
          System.err.println(mismatch);
          System.exit(1);
        }
      }
    }
    System.out.println("checked " + tensor.elementCount() + " values with max heap "
        + Runtime.getRuntime().maxMemory());
  }
}
