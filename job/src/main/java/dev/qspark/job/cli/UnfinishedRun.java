package dev.qspark.job.cli;

import dev.qspark.job.output.OutputFolder;
import java.io.IOException;
import java.io.PrintWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The warning of the commands that read a run's output folder when the folder lacks the
 * {@code _SUCCESS} file of a finished run, e.g. a killed job's temporary folder.
 */
final class UnfinishedRun {

  private UnfinishedRun() {}

  /**
   * Prints a warning to {@code err} when {@code outputDir} has no {@code _SUCCESS} file.
   *
   * @param consequence what the missing rows mean for the command's result, ending the sentence
   */
  static void warnIfUnfinished(PrintWriter err, String outputDir, Configuration conf, String consequence)
      throws IOException {
    Path success = new Path(outputDir, OutputFolder.SUCCESS_FILE);
    if (!success.getFileSystem(conf).exists(success)) {
      err.println("qspark: warning: " + outputDir + " has no " + OutputFolder.SUCCESS_FILE
          + ", so its run did not finish and " + consequence);
      err.flush();
    }
  }
}
