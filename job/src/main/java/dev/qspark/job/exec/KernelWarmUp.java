package dev.qspark.job.exec;

import dev.qspark.job.plan.JobConfig;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.KernelPath;
import dev.qspark.kernels.TensorRange;
import dev.qspark.kernels.WeightBlock;
import dev.qspark.kernels.WeightQuantizer;
import dev.qspark.kernels.simd.Kernels;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the job's configs on a synthetic bfloat16 block in a background thread while Spark starts, so
 * that the JIT compiler has compiled the kernels when the first task runs. Until then the Vector API
 * kernels run interpreted, many times slower than compiled, and a run's first tasks took about 2.5
 * times as long as its later ones. Only useful when the tasks run in this JVM (a local master).
 *
 * <p>The thread stops at {@link #close()}. It is a daemon thread, so it never keeps the JVM running.
 */
public final class KernelWarmUp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KernelWarmUp.class);

  /** Rows of the synthetic block: with rows of {@link #IN_FEATURES}, four chunks. */
  static final int ROWS = 64;

  /** Values per row: a multiple of every group size the presets use. */
  static final int IN_FEATURES = 2048;

  private final Thread thread;
  private volatile boolean stopped;
  private volatile int rounds;
  private volatile RuntimeException failure;

  private KernelWarmUp(List<JobConfig> configs) {
    thread = new Thread(() -> run(configs), "qspark-kernel-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
  }

  /** Starts warming up the kernels of {@code configs}. */
  public static KernelWarmUp start(List<JobConfig> configs) {
    KernelWarmUp warmUp = new KernelWarmUp(configs);
    warmUp.thread.start();
    return warmUp;
  }

  /** Returns the rounds finished so far, each one block per config. */
  int rounds() {
    return rounds;
  }

  /** Returns the exception that ended the warm-up early, or null. */
  RuntimeException failure() {
    return failure;
  }

  /** Waits up to {@code millis} for the thread to end after {@link #close()}; returns whether it ended. */
  boolean awaitStop(long millis) throws InterruptedException {
    thread.join(millis);
    return !thread.isAlive();
  }

  /** Stops the warm-up after its current block, without waiting for it. */
  @Override
  public void close() {
    stopped = true;
    LOG.debug("Kernel warm-up stopped after {} rounds", rounds);
  }

  private void run(List<JobConfig> configs) {
    Random random = new Random(ROWS);
    byte[] encoded = new byte[2 * ROWS * IN_FEATURES];
    random.nextBytes(encoded);
    float[] values = new float[ROWS * IN_FEATURES];
    for (int i = 0; i < values.length; i++) {
      values[i] = FloatDtype.roundToBfloat16((float) random.nextGaussian() * 0.02f);
    }
    WeightBlock block = new WeightBlock(values, 0, ROWS, ROWS, IN_FEATURES, FloatDtype.BFLOAT16);
    TensorRange range = TensorRange.of(values);
    float[] widened = new float[values.length];
    ChunkedQuantization chunks =
        new ChunkedQuantization(ChunkedQuantization.CHUNK_VALUES_DEFAULT, KernelPath.selected());
    try {
      while (!stopped) {
        Kernels.bfloat16Widening(KernelPath.selected()).widen(encoded, 0, widened.length, widened, 0);
        for (JobConfig config : configs) {
          WeightQuantizer quantizer = config.quantizer();
          if (!stopped && quantizer.applicability(ROWS, IN_FEATURES, FloatDtype.BFLOAT16).isQuantized()) {
            chunks.quantize(quantizer, block, range).sums().build(0);
          }
        }
        rounds++;
      }
    } catch (RuntimeException e) {
      // The job runs the same kernels and reports any failure with the tensor it hit.
      failure = e;
      LOG.warn("Kernel warm-up stopped early after {} rounds: {}", rounds, e.toString());
    }
  }
}
