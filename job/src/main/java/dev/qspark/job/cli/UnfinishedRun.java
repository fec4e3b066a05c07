package dev.qspark.job.cli;

import dev.qspark.job.output.OutputFolder;
import java.io.IOException;
import java.io.PrintWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The check of the commands that read a run's output folder for the {@code _SUCCESS} file that a job
 * writes when it succeeds. A folder without it is, for example, a killed job's temporary folder.
 */
final class UnfinishedRun {

  private UnfinishedRun() {}

  /** Returns whether {@code outputDir} has a {@code _SUCCESS} file. */
  static boolean isFinished(String outputDir, Configuration conf) throws IOException {
    Path success = new Path(outputDir, OutputFolder.SUCCESS_FILE);
    return success.getFileSystem(conf).exists(success);
  }

  /**
   * Returns the sentence stating that {@code outputDir} has no {@code _SUCCESS} file.
   *
   * @param consequence what that means for the command's result, ending the sentence
   */
  static String message(String outputDir, String consequence) {
    return outputDir + " has no " + OutputFolder.SUCCESS_FILE + ", the file a job writes when it succeeds,"
        + " so the job may have been interrupted and " + consequence;
  }

  /** Prints a warning to {@code err} when {@code outputDir} has no {@code _SUCCESS} file. */
  static void warnIfUnfinished(PrintWriter err, String outputDir, Configuration conf, String consequence)
      throws IOException {
    if (!isFinished(outputDir, conf)) {
      err.println("qspark: warning: " + message(outputDir, consequence));
      err.flush();
    }
  }
}
