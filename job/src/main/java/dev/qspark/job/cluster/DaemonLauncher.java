package dev.qspark.job.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Starts Spark standalone daemons (master, worker) as separate java processes from a {@link SparkHome},
 * bound to 127.0.0.1. Each daemon's output goes to its own log file. The PID of the returned process is
 * the java process's PID: the command is {@code nohup java ...}, and nohup replaces itself with java
 * (exec), so no shell process sits in between.
 */
public final class DaemonLauncher {

  /** System property every daemon gets, set to the state folder, so that its PID can be recognised later. */
  public static final String STATE_PROPERTY = "qspark.cluster.state";

  public static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
  public static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";

  /** The only address the daemons, their web UIs and their executors bind to. */
  public static final String HOST = "127.0.0.1";

  private final SparkHome sparkHome;
  private final Path stateDir;
  private final String daemonHeap;

  /**
   * @param stateDir the absolute state folder; logs go to its {@code logs/} folder
   * @param daemonHeap the {@code -Xmx} value of every daemon, such as {@code 512m}
   */
  public DaemonLauncher(SparkHome sparkHome, Path stateDir, String daemonHeap) {
    this.sparkHome = sparkHome;
    this.stateDir = stateDir;
    this.daemonHeap = daemonHeap;
  }

  /** The argument that marks a process as a daemon of this state folder. */
  public static String stateMarker(Path stateDir) {
    return "-D" + STATE_PROPERTY + "=" + stateDir;
  }

  /** Starts a master with its REST submission server off. */
  public Process startMaster(int port, int webUiPort) throws IOException {
    return start("master", MASTER_CLASS, List.of("-Dspark.master.rest.enabled=false"),
        List.of("--host", HOST, "--port", Integer.toString(port), "--webui-port", Integer.toString(webUiPort)));
  }

  /**
   * Starts a worker that offers {@code cores} and {@code memory} to executors.
   *
   * @param name the daemon name and log file stem, {@code worker-N}
   * @param workDir the worker's folder for executor logs and application jars
   * @param memory memory for executors, in Spark's size syntax such as {@code 1g}
   */
  public Process startWorker(String name, int port, int webUiPort, Path workDir, int cores, String memory,
      String masterUrl) throws IOException {
    Files.createDirectories(workDir);
    return start(name, WORKER_CLASS, List.of(),
        List.of("--host", HOST, "--port", Integer.toString(port), "--webui-port", Integer.toString(webUiPort),
            "--cores", Integer.toString(cores), "--memory", memory, "--work-dir", workDir.toString(), masterUrl));
  }

  /** The log file of the daemon {@code name}. */
  public Path logFile(String name) {
    return stateDir.resolve("logs").resolve(name + ".log");
  }

  private Process start(String name, String mainClass, List<String> jvmProperties, List<String> arguments)
      throws IOException {
    Path log = logFile(name);
    Files.createDirectories(log.getParent());

    List<String> command = new ArrayList<>();
    Path nohup = Path.of("/usr/bin/nohup");
    if (Files.isExecutable(nohup)) {
      // Ignoring SIGHUP keeps the daemon running when the terminal that ran 'cluster up' closes.
      command.add(nohup.toString());
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
    command.add("-Xmx" + daemonHeap);
    command.add(stateMarker(stateDir));
    command.addAll(jvmProperties);
    command.add("-cp");
    command.add(sparkHome.daemonClasspath());
    command.add(mainClass);
    command.addAll(arguments);

    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> environment = builder.environment();
    environment.put("SPARK_HOME", sparkHome.path().toString());
    // Without it the web UIs bind to every address and executors advertise the first network address.
    environment.put("SPARK_LOCAL_IP", HOST);
    // A worker builds executor commands with Spark's launcher, which fails with "Cannot find any build
    // directories" unless this is set; Spark's sbin scripts set it from the distribution.
    environment.put("SPARK_SCALA_VERSION", scalaBinaryVersion());
    return builder.start();
  }

  /** Returns the Scala binary version Spark runs on, such as {@code 2.13}. */
  static String scalaBinaryVersion() {
    String[] parts = scala.util.Properties.versionNumberString().split("\\.");
    return parts[0] + "." + parts[1];
  }
}
