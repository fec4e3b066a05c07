package dev.qspark.job.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MavenOutputTest {

    @Test
    void colorCodesAreRemoved() {
        assertThat(MavenArtifactDownloader.withoutEscapes("\u001B[0m\u001B[0m")).isEmpty();
        assertThat(MavenArtifactDownloader.withoutEscapes("\u001B[1;31m[ERROR]\u001B[m Failed to resolve"))
                .isEqualTo("[ERROR] Failed to resolve");
    }

    @Test
    void plainTextIsKept() {
        assertThat(MavenArtifactDownloader.withoutEscapes("Copying model.jar [x;y]")).isEqualTo("Copying model.jar [x;y]");
    }
}
