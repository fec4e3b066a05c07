package dev.qspark.job.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {

  @TempDir Path dir;

  @Test
  void commitRenamesTemporaryWithSuccess() throws Exception {
    Path out = dir.resolve("out");
    OutputFolder folder = OutputFolder.prepare(out.toString(), new Configuration(), false);
    assertThat(Files.isDirectory(Path.of(folder.temporary().toUri()))).isTrue();
    assertThat(out).doesNotExist();

    folder.commit();

    assertThat(out.resolve(OutputFolder.SUCCESS_FILE)).exists();
    assertThat(Path.of(folder.temporary().toUri())).doesNotExist();
  }

  @Test
  void existingTargetNeedsOverwrite() throws Exception {
    Path out = Files.createDirectory(dir.resolve("out"));

    assertThatThrownBy(() -> OutputFolder.prepare(out.toString(), new Configuration(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already exists; pass --overwrite");
  }

  @Test
  void leftoverTemporariesOfSameTargetListed() throws Exception {
    Path killed = Files.createDirectory(dir.resolve("out" + OutputFolder.TEMPORARY_INFIX + "1234"));
    Files.createDirectory(dir.resolve("other" + OutputFolder.TEMPORARY_INFIX + "5678"));
    Files.createDirectory(dir.resolve("out-2"));
    FileSystem fs = FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path target = fs.makeQualified(new org.apache.hadoop.fs.Path(dir.resolve("out").toString()));

    assertThat(OutputFolder.leftoverTemporaries(fs, target))
        .extracting(org.apache.hadoop.fs.Path::getName)
        .containsExactly(killed.getFileName().toString());
  }

  @Test
  void abortDeletesTemporary() throws Exception {
    OutputFolder folder = OutputFolder.prepare(dir.resolve("out").toString(), new Configuration(), false);

    folder.abort();

    assertThat(Path.of(folder.temporary().toUri())).doesNotExist();
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
