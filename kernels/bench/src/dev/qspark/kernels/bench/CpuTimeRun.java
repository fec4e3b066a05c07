package dev.qspark.kernels.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Runs {@link QuantizeBenchmark} and {@link MemoryCopyBenchmark} without JMH and reports params per
 * second of this thread's CPU time next to params per second of wall time.
 *
 * <p>On a machine shared with other work the thread's CPU time leaves out the time the thread
 * waited for a core, so its rate stays close to the rate on an idle machine (caches and memory
 * bandwidth are still shared). Arguments: {@code family group path [seconds]}, or {@code copy [seconds]}.
 */
public final class CpuTimeRun {

  private CpuTimeRun() {}

  public static void main(String[] args) {
    boolean copy = args[0].equals("copy");
    int secondsIndex = copy ? 1 : 3;
    double seconds = args.length > secondsIndex ? Double.parseDouble(args[secondsIndex]) : 4;
    Runnable operation;
    if (copy) {
      MemoryCopyBenchmark benchmark = new MemoryCopyBenchmark();
      benchmark.setUp();
      operation = benchmark::copyBfloat16Weight;
    } else {
      QuantizeBenchmark benchmark = new QuantizeBenchmark();
      benchmark.family = args[0];
      benchmark.group = args[1];
      benchmark.path = args[2];
      benchmark.setUp();
      operation = benchmark::quantize;
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    measure(operation, threads, seconds / 2);
    long[] result = measure(operation, threads, seconds);
    double params = (double) result[0] * QuantizeBenchmark.PARAMS;
    System.out.printf("%-28s %6d ops  %7.3f G params/cpu-s  %7.3f G params/wall-s  %7.2f MB allocated/op%n",
        String.join(" ", args), result[0], params / result[1], params / result[2], result[3] / 1e6 / result[0]);
  }

  /**
   * Returns operations, thread CPU nanoseconds, wall nanoseconds and bytes allocated by this thread
   * in a run of about {@code seconds}.
   */
  private static long[] measure(Runnable operation, ThreadMXBean threads, double seconds) {
    com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
    long bytesStart = allocation.getCurrentThreadAllocatedBytes();
    long wallStart = System.nanoTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long count = 0;
    while (System.nanoTime() - wallStart < seconds * 1e9 || count < 3) {
      operation.run();
      count++;
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    return new long[] {count, cpu, wall, allocation.getCurrentThreadAllocatedBytes() - bytesStart};
  }
}
