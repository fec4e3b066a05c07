package dev.qspark.kernels.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Copies the bytes of one 4096 x 4096 bfloat16 weight (32 MiB) with {@code System.arraycopy} on one
 * thread, reported like {@link QuantizeBenchmark} in params per second, so that the two divide into
 * a ratio; bytes per second are twice that.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryCopyBenchmark {

  private byte[] source;
  private byte[] target;

  @Setup
  public void setUp() {
    source = new byte[QuantizeBenchmark.PARAMS * 2];
    for (int i = 0; i < source.length; i++) {
      source[i] = (byte) i;
    }
    target = new byte[source.length];
  }

  @Benchmark
  @OperationsPerInvocation(QuantizeBenchmark.PARAMS)
  public byte[] copyBfloat16Weight() {
    System.arraycopy(source, 0, target, 0, source.length);
    return target;
  }
}
