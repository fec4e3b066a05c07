package dev.qspark.job.output;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output folder of a job and its commit protocol: everything is written to a temporary sibling
 * folder {@code DIR._temporary-<uuid>}, which gets a {@code _SUCCESS} file and is renamed to
 * {@code DIR} only when the job succeeds. A failed job deletes the temporary folder; a killed job
 * leaves it, but never a {@code DIR} without {@code _SUCCESS}. Driver only.
 */
public final class OutputFolder {

  private static final Logger LOG = LoggerFactory.getLogger(OutputFolder.class);

  public static final String SUCCESS_FILE = "_SUCCESS";
  public static final String QUANTIZED = "quantized";
  public static final String METRICS = "metrics";
  public static final String MANIFEST = "manifest.json";

  /** The part of a temporary folder's name between the target's name and the run's UUID. */
  static final String TEMPORARY_INFIX = "._temporary-";

  private final FileSystem fs;
  private final Path target;
  private final Path temporary;
  private final boolean overwrite;

  private OutputFolder(FileSystem fs, Path target, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.temporary = new Path(target.getParent(), target.getName() + TEMPORARY_INFIX + UUID.randomUUID());
    this.overwrite = overwrite;
  }

  /**
   * Checks the output location and creates the temporary folder.
   *
   * @throws IllegalArgumentException when {@code out} exists and {@code overwrite} is false
   */
  public static OutputFolder prepare(String out, Configuration conf, boolean overwrite) throws IOException {
    Path path = new Path(out);
    FileSystem fs = path.getFileSystem(conf);
    Path qualified = checkTarget(fs, path, overwrite);
    List<Path> leftovers = leftoverTemporaries(fs, qualified);
    if (leftovers.size() == 1) {
      LOG.warn("Found the temporary folder of an earlier run to {} that did not finish: {}. This run does not use"
          + " it, so delete it once no other job writes to {}", qualified.getName(), leftovers.get(0),
          qualified.getName());
    } else if (leftovers.size() > 1) {
      LOG.warn("Found {} temporary folders of earlier runs to {} that did not finish, the first {}. This run does"
          + " not use them, so delete them once no other job writes to {}", leftovers.size(), qualified.getName(),
          leftovers.get(0), qualified.getName());
    }
    OutputFolder folder = new OutputFolder(fs, qualified, overwrite);
    if (!fs.mkdirs(folder.temporary)) {
      throw new IOException("Cannot create the temporary output folder " + folder.temporary);
    }
    return folder;
  }

  /**
   * Checks the output location without creating anything, so that a job can fail before Spark starts.
   *
   * @throws IllegalArgumentException when {@code out} is a root folder, or exists and {@code overwrite} is false
   */
  public static void check(String out, Configuration conf, boolean overwrite) throws IOException {
    Path path = new Path(out);
    checkTarget(path.getFileSystem(conf), path, overwrite);
  }

  private static Path checkTarget(FileSystem fs, Path path, boolean overwrite) throws IOException {
    Path qualified = fs.makeQualified(path);
    if (qualified.getParent() == null) {
      throw new IllegalArgumentException("Cannot write to " + qualified + ": the output must not be a root folder");
    }
    if (fs.exists(qualified) && !overwrite) {
      throw new IllegalArgumentException(
          "Cannot write to " + qualified + ": it already exists; pass --overwrite to replace it");
    }
    return qualified;
  }

  /**
   * Lists the temporary folders that earlier runs to {@code target} left beside it: a killed job keeps
   * its {@code DIR._temporary-<uuid>}, and a job that is still running has one too.
   */
  static List<Path> leftoverTemporaries(FileSystem fs, Path target) throws IOException {
    String prefix = target.getName() + TEMPORARY_INFIX;
    List<Path> leftovers = new ArrayList<>();
    if (!fs.exists(target.getParent())) {
      return leftovers;
    }
    for (FileStatus status : fs.listStatus(target.getParent(), path -> path.getName().startsWith(prefix))) {
      leftovers.add(status.getPath());
    }
    return leftovers;
  }

  /** The final location, fully qualified. */
  public Path target() {
    return target;
  }

  /** The temporary folder the job writes to. */
  public Path temporary() {
    return temporary;
  }

  public Path temporary(String child) {
    return new Path(temporary, child);
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** Marks the temporary folder complete and renames it to the target, replacing an old target when allowed. */
  public void commit() throws IOException {
    fs.create(new Path(temporary, SUCCESS_FILE), false).close();
    if (fs.exists(target)) {
      if (!overwrite) {
        throw new IllegalArgumentException(
            "Cannot write to " + target + ": it was created while the job ran; pass --overwrite to replace it");
      }
      LOG.info("Replacing {}", target);
      if (!fs.delete(target, true)) {
        throw new IOException("Cannot delete " + target + " to replace it with the new output in " + temporary);
      }
    }
    if (!fs.rename(temporary, target)) {
      throw new IOException("Cannot rename " + temporary + " to " + target + "; the complete output is left in "
          + temporary);
    }
  }

  /** Deletes the temporary folder after a failure; logs instead of throwing so that the original error wins. */
  public void abort() {
    try {
      if (fs.exists(temporary) && !fs.delete(temporary, true)) {
        LOG.warn("Cannot delete the temporary output folder {}; delete it by hand", temporary);
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete the temporary output folder {}; delete it by hand", temporary, e);
    }
  }
}
