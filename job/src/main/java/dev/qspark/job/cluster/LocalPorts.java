package dev.qspark.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1 for daemons whose port was not given. */
public final class LocalPorts {

  private LocalPorts() {}

  /**
   * Returns {@code requested} when it is positive, else a port that was free on 127.0.0.1 a moment ago.
   *
   * <p>NOTE: another process may take the port before the daemon binds it; the daemon then fails to
   * start and its log names the port.
   */
  public static int chooseFree(int requested) {
    if (requested > 0) {
      return requested;
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(DaemonLauncher.HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port on " + DaemonLauncher.HOST + ": " + e.getMessage(), e);
    }
  }
}
