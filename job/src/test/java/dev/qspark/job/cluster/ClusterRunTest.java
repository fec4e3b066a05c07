package dev.qspark.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.checksum.QuantizedChecksums;
import dev.qspark.job.checksum.QuantizedOutputReader;
import dev.qspark.job.cli.QsparkCommand;
import dev.qspark.job.exec.TaskHold;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code versions} sweep of stories260K on a real standalone cluster of two workers with one core
 * each, started with {@code qspark cluster up} and submitted with {@code ./qspark submit}: its output
 * must match a {@code local[2]} run config by config, also when an executor or the driver is killed
 * mid-job. Every process listens on 127.0.0.1.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRunTest {

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration HOLD_TIMEOUT = Duration.ofMinutes(3);
  private static final Pattern MARKER =
      Pattern.compile("stage-(\\d+)\\.partition-(\\d+)\\.attempt-(\\d+)\\.pid-(\\d+)");

  @TempDir static Path work;

  private static Path stateDir;
  private static String masterUrl;
  private static SparkSession spark;
  private static Map<String, String> localChecksums;
  private static Map<String, Long> localRowCounts;

  @BeforeAll
  static void startClusterAndRunLocally() throws Exception {
    stateDir = work.resolve("cluster");
    CommandResult up = qspark("cluster", "up", "--workers", "2", "--cores", "1", "--memory", "1g",
        "--state-dir", stateDir.toString());
    assertThat(up.exitCode()).as(up.err()).isZero();
    masterUrl = up.out().strip();
    assertThat(masterUrl).matches("spark://127\\.0\\.0\\.1:\\d+");
    for (ClusterState.Daemon daemon : ClusterState.read(stateDir).orElseThrow().daemons()) {
      assertThat(ProcessHandle.of(daemon.pid()).flatMap(process -> process.info().command()))
          .as("command of " + daemon.name() + ", recorded as pid " + daemon.pid())
          .hasValueSatisfying(command -> assertThat(command).endsWith("/java"));
    }

    spark = SparkSession.builder()
        .master("local[2]")
        .appName("ClusterRunTest")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();

    // The reference run uses this JVM's local[2] session, which the job joins and leaves running.
    Path local = work.resolve("local");
    CommandResult localRun = qspark("sweep", "--model", model(), "--configs", "versions", "--out", local.toString(),
        "--master", "local[2]");
    assertThat(localRun.exitCode()).as(localRun.err()).isZero();
    localChecksums = checksums(local);
    localRowCounts = rowCounts(local);
    assertThat(localChecksums).hasSizeGreaterThanOrEqualTo(8);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    Optional<ClusterState> state = ClusterState.read(stateDir);
    CommandResult down = qspark("cluster", "down", "--state-dir", stateDir.toString());

    assertThat(down.exitCode()).as(down.err()).isZero();
    assertThat(state).isPresent();
    for (ClusterState.Daemon daemon : state.get().daemons()) {
      assertThat(ProcessHandle.of(daemon.pid()).filter(ProcessHandle::isAlive))
          .as(daemon.name() + " pid " + daemon.pid() + " after cluster down").isEmpty();
    }
    assertThat(stateDir.resolve(ClusterState.FILE_NAME)).doesNotExist();
  }

  @Test
  @Order(1)
  void clusterSweepMatchesLocalRun() throws Exception {
    Path out = work.resolve("cluster-run");

    QsparkProcess.runSuccessfully(work.resolve("cluster-run.log"), RUN_TIMEOUT, submit(out, List.of()));

    assertThat(out.resolve("_SUCCESS")).exists();
    assertThat(checksums(out)).isEqualTo(localChecksums);
    assertThat(rowCounts(out)).isEqualTo(localRowCounts);
    for (ClusterState.Daemon worker : ClusterState.read(stateDir).orElseThrow().workers()) {
      try (Stream<Path> applications = Files.list(Path.of(worker.workDir()))) {
        assertThat(applications.map(path -> path.getFileName().toString()))
            .as("applications that ran executors on " + worker.name())
            .anyMatch(name -> name.startsWith("app-"));
      }
    }
  }

  @Test
  @Order(2)
  void killedExecutorTasksAreRescheduled() throws Exception {
    Path out = work.resolve("executor-kill");
    Path release = work.resolve("release-executor-kill");
    QsparkProcess driver = QsparkProcess.start(work.resolve("executor-kill.log"),
        submit(out, List.of("--conf", TaskHold.HOLD_UNTIL_FILE + "=" + release)));

    List<HeldTask> held = awaitHeldTasks(release, 2, driver);
    HeldTask victim = held.get(0);
    List<DaemonProcesses.ExecutorProcess> executors = clusterExecutors();
    assertThat(executors).extracting(DaemonProcesses.ExecutorProcess::pid).contains(victim.pid());
    CommandResult status = qspark("cluster", "status", "--state-dir", stateDir.toString());
    assertThat(status.out()).contains("pid " + victim.pid());

    ProcessHandle executor = ProcessHandle.of(victim.pid()).orElseThrow();
    executor.destroyForcibly();
    executor.onExit().get();
    assertThat(heldTasks(release)).as("the killed executor's task had not finished").contains(victim);
    Files.createFile(release);
    int exitCode = driver.await(RUN_TIMEOUT);

    assertThat(exitCode).as(driver.logTail()).isZero();
    assertThat(heldTasks(release))
        .as("a later attempt of partition " + victim.partition() + " of stage " + victim.stage())
        .anyMatch(task -> task.stage() == victim.stage() && task.partition() == victim.partition()
            && task.attempt() > victim.attempt() && task.pid() != victim.pid());
    assertThat(out.resolve("_SUCCESS")).exists();
    assertThat(checksums(out)).isEqualTo(localChecksums);
    assertThat(rowCounts(out)).isEqualTo(localRowCounts);
  }

  @Test
  @Order(3)
  void killedDriverLeavesNoCompleteOutput() throws Exception {
    Path out = work.resolve("driver-kill");
    Path release = work.resolve("release-driver-kill");
    QsparkProcess driver = QsparkProcess.start(work.resolve("driver-kill.log"),
        submit(out, List.of("--conf", TaskHold.HOLD_UNTIL_FILE + "=" + release)));
    awaitHeldTasks(release, 1, driver);

    driver.kill();

    assertThat(out.resolve("_SUCCESS")).doesNotExist();
    awaitNoRunningApplication();
    QsparkProcess.runSuccessfully(work.resolve("driver-kill-rerun.log"), RUN_TIMEOUT,
        submit(out, List.of(), "--overwrite"));
    assertThat(out.resolve("_SUCCESS")).exists();
    assertThat(checksums(out)).isEqualTo(localChecksums);
  }

  @Test
  @Order(4)
  void localClusterMasterMatchesLocalRun() throws Exception {
    Path out = work.resolve("local-cluster");

    QsparkProcess.runSuccessfully(work.resolve("local-cluster.log"), RUN_TIMEOUT,
        List.of("submit", "--master", "local-cluster[2,1,1024]", "--driver-memory", "640m",
            "--conf", "spark.ui.enabled=false", "--", "sweep", "--model", model(), "--configs", "versions",
            "--out", out.toString()));

    assertThat(checksums(out)).isEqualTo(localChecksums);
  }

  private static List<String> submit(Path out, List<String> sparkOptions, String... sweepOptions) {
    List<String> arguments = new ArrayList<>(List.of("submit", "--master", masterUrl, "--driver-memory", "640m",
        "--executor-memory", "768m", "--conf", "spark.ui.enabled=false"));
    arguments.addAll(sparkOptions);
    arguments.addAll(List.of("--", "sweep", "--model", model(), "--configs", "versions", "--out", out.toString()));
    arguments.addAll(List.of(sweepOptions));
    return arguments;
  }

  private static String model() {
    return Path.of(System.getProperty("qspark.shared.dir"), "models", "stories260K").toAbsolutePath().toString();
  }

  private record HeldTask(int stage, int partition, int attempt, long pid) {}

  private static List<HeldTask> heldTasks(Path release) throws IOException {
    Path started = Path.of(release + TaskHold.STARTED_SUFFIX);
    if (!Files.isDirectory(started)) {
      return List.of();
    }
    List<HeldTask> tasks = new ArrayList<>();
    try (Stream<Path> markers = Files.list(started)) {
      for (Path marker : markers.toList()) {
        Matcher matcher = MARKER.matcher(marker.getFileName().toString());
        if (matcher.matches()) {
          tasks.add(new HeldTask(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
              Integer.parseInt(matcher.group(3)), Long.parseLong(matcher.group(4))));
        }
      }
    }
    return tasks;
  }

  /** Waits until {@code count} tasks are held, failing early when the driver exits. */
  private static List<HeldTask> awaitHeldTasks(Path release, int count, QsparkProcess driver) throws Exception {
    Instant deadline = Instant.now().plus(HOLD_TIMEOUT);
    while (true) {
      List<HeldTask> held = heldTasks(release);
      if (held.size() >= count) {
        return held;
      }
      if (!ProcessHandle.of(driver.pid()).map(ProcessHandle::isAlive).orElse(false)) {
        throw new AssertionError("The driver exited before " + count + " tasks were held: " + driver.logTail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(held.size() + " of " + count + " tasks held after " + HOLD_TIMEOUT + ": "
            + driver.logTail());
      }
      Thread.sleep(200);
    }
  }

  private static List<DaemonProcesses.ExecutorProcess> clusterExecutors() throws IOException {
    ClusterState state = ClusterState.read(stateDir).orElseThrow();
    List<DaemonProcesses.ExecutorProcess> executors = new ArrayList<>();
    for (ClusterState.Daemon worker : state.workers()) {
      ProcessHandle handle = DaemonProcesses.find(worker.pid(), DaemonLauncher.stateMarker(stateDir)).orElseThrow();
      executors.addAll(DaemonProcesses.executors(handle));
    }
    return executors;
  }

  /** Waits until the master reports no running application, so the next one gets both workers' cores. */
  private static void awaitNoRunningApplication() throws Exception {
    ClusterState state = ClusterState.read(stateDir).orElseThrow();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (true) {
      Optional<MasterStatus> status = MasterStatus.fetch(state.masterWebUiUrl());
      if (status.isPresent() && status.get().activeApplications() == 0 && clusterExecutors().isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("The killed driver's application still runs after 1 min: " + status);
      }
      Thread.sleep(500);
    }
  }

  private static Map<String, String> checksums(Path outputDir) {
    return QuantizedChecksums.compute(QuantizedOutputReader.sortedRows(spark, outputDir.toString()));
  }

  private static Map<String, Long> rowCounts(Path outputDir) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row row : spark.read().parquet(QuantizedOutputReader.quantizedLocation(outputDir.toString()))
        .groupBy("config_id").count().collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    return counts;
  }

  private record CommandResult(int exitCode, String out, String err) {}

  private static CommandResult qspark(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine commandLine = QsparkCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(arguments);
    return new CommandResult(exitCode, out.toString(), err.toString());
  }
}
