package dev.qspark.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.cluster.ClusterState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster commands' checks and their handling of state folders, without starting daemons. */
class ClusterCommandTest {

  @TempDir Path folder;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    picocli.CommandLine commandLine = QsparkCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void upDescriptionSaysItWaits() {
    picocli.CommandLine up = QsparkCommand.commandLine().getSubcommands().get("cluster").getSubcommands().get("up");

    assertThat(up.getCommandSpec().usageMessage().description()[0])
        .startsWith("Starts a Spark standalone master and N workers on 127.0.0.1 and waits until every worker has"
            + " registered.");
  }

  @Test
  void zeroWorkersIsRejected() {
    int exitCode = run("cluster", "up", "--workers", "0", "--state-dir", folder.toString());

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("qspark: Invalid value 0 for --workers: expected 1 or more");
    assertThat(folder.resolve(ClusterState.FILE_NAME)).doesNotExist();
  }

  @Test
  void malformedMemoryIsRejected() {
    int exitCode = run("cluster", "up", "--memory", "1 GB", "--state-dir", folder.toString());

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("qspark: Invalid value '1 GB' for --memory: expected a size such as 512m or 2g");
  }

  @Test
  void sparkHomeWithoutJarsIsRejected() throws IOException {
    Path sparkHome = Files.createDirectories(folder.resolve("not-spark"));

    int exitCode = run("cluster", "up", "--spark-home", sparkHome.toString(), "--state-dir",
        folder.resolve("state").toString());

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString().lines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("qspark: Cannot use Spark home " + sparkHome + " (from --spark-home): it has no jars/ folder");
  }

  @Test
  void downWithoutClusterSucceeds() {
    int exitCode = run("cluster", "down", "--state-dir", folder.toString());

    assertThat(exitCode).isZero();
    assertThat(err.toString()).contains("No cluster is recorded in " + folder);
  }

  @Test
  void statusWithoutClusterExitsThree() {
    int exitCode = run("cluster", "status", "--state-dir", folder.toString());

    assertThat(exitCode).isEqualTo(3);
    assertThat(out.toString()).contains("No cluster is recorded in " + folder);
  }

  @Test
  void stoppedDaemonsAreReportedAndForgotten() throws IOException {
    // PID 2^22 + 1 is above Linux's largest PID, so no process has it.
    long absentPid = (1L << 22) + 1;
    new ClusterState("spark://127.0.0.1:1", "http://127.0.0.1:2", folder.toString(),
        List.of(new ClusterState.Daemon("master", absentPid, 1, 2, "master.log", null)))
        .write(folder);

    int statusCode = run("cluster", "status", "--state-dir", folder.toString());
    int downCode = run("cluster", "down", "--state-dir", folder.toString());

    assertThat(statusCode).isEqualTo(3);
    assertThat(out.toString()).contains("master      pid " + absentPid + " not running");
    assertThat(downCode).isZero();
    assertThat(err.toString()).contains("master (pid " + absentPid + ") was not running");
    assertThat(folder.resolve(ClusterState.FILE_NAME)).doesNotExist();
  }

  @Test
  void otherProcessIsNeverStopped() throws IOException {
    // This JVM's own PID carries no state marker, so down must leave it alone.
    long ownPid = ProcessHandle.current().pid();
    new ClusterState("spark://127.0.0.1:1", "http://127.0.0.1:2", folder.toString(),
        List.of(new ClusterState.Daemon("master", ownPid, 1, 2, "master.log", null)))
        .write(folder);

    int downCode = run("cluster", "down", "--state-dir", folder.toString());

    assertThat(downCode).isZero();
    assertThat(err.toString()).contains("master (pid " + ownPid + ") was not running");
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }
}
