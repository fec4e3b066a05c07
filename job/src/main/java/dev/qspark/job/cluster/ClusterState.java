package dev.qspark.job.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What {@code qspark cluster up} started, as recorded in {@code STATE_DIR/cluster.json}: the master URL
 * and every daemon's java PID, ports and log. {@code down} and {@code status} read it back. Stays on
 * the driver.
 *
 * @param masterUrl the URL to submit to, {@code spark://127.0.0.1:PORT}
 * @param masterWebUiUrl the master's web UI, whose {@code /json} lists the registered workers
 * @param sparkHome the Spark home the daemons run from
 * @param daemons the master first, then the workers in start order
 */
public record ClusterState(String masterUrl, String masterWebUiUrl, String sparkHome, List<Daemon> daemons) {

  /** File name of the record inside the state folder. */
  public static final String FILE_NAME = "cluster.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One started daemon.
   *
   * @param name {@code master} or {@code worker-N}, N from 1
   * @param pid the java process id
   * @param port the RPC port
   * @param webUiPort the web UI port
   * @param log the file that receives the daemon's standard output and error
   * @param workDir the worker's folder for executor logs and application files; null for the master
   */
  public record Daemon(String name, long pid, int port, int webUiPort, String log, String workDir) {}

  public ClusterState {
    daemons = List.copyOf(daemons);
  }

  /** Returns a copy with one more daemon. */
  public ClusterState with(Daemon daemon) {
    List<Daemon> more = new java.util.ArrayList<>(daemons);
    more.add(daemon);
    return new ClusterState(masterUrl, masterWebUiUrl, sparkHome, more);
  }

  /** The recorded workers, in start order. */
  public List<Daemon> workers() {
    return daemons.stream().filter(daemon -> daemon.workDir() != null).toList();
  }

  /** Writes the record to {@code stateDir/cluster.json}, replacing the file atomically. */
  public void write(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    Path temporary = stateDir.resolve(FILE_NAME + ".tmp");
    JSON.writeValue(temporary.toFile(), this);
    Files.move(temporary, stateDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads {@code stateDir/cluster.json}, or returns empty when there is none. */
  public static Optional<ClusterState> read(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), ClusterState.class));
    } catch (IOException e) {
      throw new IOException("Cannot read " + file + ": " + e.getMessage()
          + "; delete it after stopping any daemons it lists", e);
    }
  }

  /** Deletes {@code stateDir/cluster.json}; logs and work folders stay. */
  public static void delete(Path stateDir) throws IOException {
    Files.deleteIfExists(stateDir.resolve(FILE_NAME));
  }
}
