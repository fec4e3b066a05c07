package dev.qspark.kernels.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@link QuantizeBenchmark} and {@link MemoryCopyBenchmark} configurations without JMH, taking
 * turns between them in one JVM, and reports params per second of this thread's CPU time.
 *
 * <p>On a machine shared with other work, the thread's CPU time leaves out the time the thread
 * waited for a core, and taking turns exposes every configuration to the same load, so the ratios
 * between configurations stay stable where JMH's wall-clock scores do not. Caches, memory
 * bandwidth and a busy sibling hyperthread still slow every configuration down.
 *
 * <p>Arguments: {@code rounds spec...}, where a spec is {@code copy} or {@code family:group:path}
 * (e.g. {@code int4-plain:128:VECTOR}), which quantizes, or {@code family:group:path:dequantize},
 * which dequantizes the quantized weight to bfloat16. Either is optionally prefixed with {@code DIR@}
 * to load the kernel and benchmark classes from another build's class folder, which compares two
 * versions in one run.
 * Each round measures each spec for 0.4 s; the report gives the median over rounds, the MB
 * allocated per operation (which reveals vectors boxed on the heap) and the ratio to {@code copy}.
 */
public final class CpuTimeRun {

  private static final long ROUND_NANOS = 400_000_000L;
  private static final long WARM_UP_NANOS = 3_000_000_000L;

  private CpuTimeRun() {}

  public static void main(String[] args) throws ReflectiveOperationException, MalformedURLException {
    int rounds = Integer.parseInt(args[0]);
    List<String> specs = Arrays.asList(args).subList(1, args.length);
    List<Runnable> operations = new ArrayList<>();
    for (String spec : specs) {
      operations.add(operation(spec));
    }

    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (Runnable operation : operations) {
      long start = System.nanoTime();
      while (System.nanoTime() - start < WARM_UP_NANOS) {
        operation.run();
      }
    }
    double[][] rates = new double[operations.size()][rounds];
    double[] megabytesPerOperation = new double[operations.size()];
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < operations.size(); k++) {
        long bytesStart = threads.getCurrentThreadAllocatedBytes();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        int count = 0;
        while (System.nanoTime() - wallStart < ROUND_NANOS || count < 2) {
          operations.get(k).run();
          count++;
        }
        rates[k][round] = (double) count * QuantizeBenchmark.PARAMS / (threads.getCurrentThreadCpuTime() - cpuStart);
        megabytesPerOperation[k] = (threads.getCurrentThreadAllocatedBytes() - bytesStart) / 1e6 / count;
      }
    }

    int copyIndex = specs.indexOf("copy");
    double copyRate = copyIndex >= 0 ? median(rates[copyIndex]) : Double.NaN;
    System.out.printf("%-60s %12s %10s %8s%n", "spec", "G params/s", "MB/op", "/ copy");
    for (int k = 0; k < operations.size(); k++) {
      double rate = median(rates[k]);
      System.out.printf("%-60s %12.3f %10.1f %8.3f%n", specs.get(k), rate, megabytesPerOperation[k], rate / copyRate);
    }
  }

  private static Runnable operation(String spec) throws ReflectiveOperationException, MalformedURLException {
    int separator = spec.indexOf('@');
    ClassLoader loader = separator < 0
        ? CpuTimeRun.class.getClassLoader()
        : new URLClassLoader(new URL[] {new File(spec.substring(0, separator)).toURI().toURL()},
            CpuTimeRun.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            // Child first for the project's classes, so that the other build's versions are used.
            if (!name.startsWith("dev.qspark.")) {
              return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
              Class<?> loaded = findLoadedClass(name);
              return loaded != null ? loaded : findClass(name);
            }
          }
        };
    String[] parts = spec.substring(separator + 1).split(":");
    Object benchmark;
    Method method;
    if (parts[0].equals("copy")) {
      Class<?> type = loader.loadClass(MemoryCopyBenchmark.class.getName());
      benchmark = type.getDeclaredConstructor().newInstance();
      type.getMethod("setUp").invoke(benchmark);
      method = type.getMethod("copyBfloat16Weight");
    } else {
      Class<?> type = loader.loadClass(QuantizeBenchmark.class.getName());
      benchmark = type.getDeclaredConstructor().newInstance();
      type.getField("family").set(benchmark, parts[0]);
      type.getField("group").set(benchmark, parts[1]);
      type.getField("path").set(benchmark, parts[2]);
      type.getMethod("setUp").invoke(benchmark);
      if (parts.length > 3 && parts[3].equals("dequantize")) {
        type.getMethod("setUpDequantize").invoke(benchmark);
        method = type.getMethod("dequantize");
      } else {
        method = type.getMethod("quantize");
      }
    }
    return () -> {
      try {
        method.invoke(benchmark);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Benchmark " + spec + " failed", e);
      }
    };
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
