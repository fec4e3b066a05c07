package dev.qspark.job.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qspark cluster up|down|status}: a Spark standalone cluster on 127.0.0.1 for trying distributed
 * runs on one machine, started from the build's Spark home, with no Spark distribution needed.
 */
@Command(
    name = "cluster",
    description = {
      "Starts, stops or shows a Spark standalone cluster on 127.0.0.1: one master and N workers, each a java"
          + " process recorded in a state folder."
    },
    subcommands = {
      ClusterUpCommand.class,
      ClusterDownCommand.class,
      ClusterStatusCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class ClusterCommand implements Runnable {

  /** Default state folder, relative to the working directory. */
  static final String STATE_DIR_DEFAULT = ".qspark/cluster";

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: expected up, down or status");
  }

  /** The {@code --state-dir} option that every subcommand shares. */
  static final class StateDirOption {
    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description = "Folder for the cluster's recorded PIDs and ports, its logs and its worker folders"
            + " (default: ${DEFAULT-VALUE}).")
    Path stateDir = Path.of(STATE_DIR_DEFAULT);

    Path absolute() {
      return stateDir.toAbsolutePath().normalize();
    }
  }
}
