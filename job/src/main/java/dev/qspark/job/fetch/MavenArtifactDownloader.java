package dev.qspark.job.fetch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Downloader of one Maven artifact with the user's own {@code mvn} command, so that the user's
 * settings (mirrors, proxies, credentials) and local repository apply.
 */
final class MavenArtifactDownloader {

    /** A terminal color or style escape sequence, such as the reset code {@code ESC[0m}. */
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;]*m");

    /** Pinned so that no plugin-version lookup happens and the output is the same everywhere. */
    static final String COPY_GOAL = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy";

    private final PrintWriter progress;

    MavenArtifactDownloader(PrintWriter progress) {
        this.progress = progress;
    }

    /**
     * Copies the jar with {@code coordinates} ({@code groupId:artifactId:version}) into
     * {@code outputFolder} and returns its path. Maven's output goes to the progress writer.
     *
     * @throws IOException when mvn cannot be started, fails, or leaves no jar
     */
    Path download(String coordinates, Path outputFolder) throws IOException {
        Files.createDirectories(outputFolder);
        String mvn = mavenExecutable();
        // Quiet mode keeps Maven's errors and drops its INFO lines about the build.
        List<String> command = List.of(mvn, "-B", "-q", "-Dstyle.color=never", COPY_GOAL,
                "-Dartifact=" + coordinates, "-DoutputDirectory=" + outputFolder.toAbsolutePath());
        progress.println("Running " + String.join(" ", command));
        progress.flush();

        // An empty working folder keeps mvn from picking up a project pom in the caller's folder.
        ProcessBuilder builder = new ProcessBuilder(command).directory(outputFolder.toFile()).redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("Cannot fetch " + coordinates + ": could not start '" + mvn + "' (" + e.getMessage()
                    + "); install Maven and put mvn on PATH, or set MAVEN_HOME", e);
        }

        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), Charset.defaultCharset()))) {
            String line;
            while ((line = output.readLine()) != null) {
                String text = withoutEscapes(line);
                if (!text.isEmpty()) {
                    progress.println(text);
                }
            }
        }
        progress.flush();

        int exitCode = waitFor(process, coordinates);
        if (exitCode != 0) {
            throw new IOException("Cannot fetch " + coordinates + ": mvn exited with code " + exitCode
                    + "; its output above says why");
        }

        String[] parts = coordinates.split(":");
        Path jar = outputFolder.resolve(parts[1] + "-" + parts[parts.length - 1] + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("Cannot fetch " + coordinates + ": mvn succeeded but " + jar + " is missing");
        }
        return jar;
    }

    /** Returns {@code line} without terminal escape codes, which some Maven versions write even with style.color=never. */
    static String withoutEscapes(String line) {
        return ANSI_ESCAPE.matcher(line).replaceAll("");
    }

    private static int waitFor(Process process, String coordinates) throws IOException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("Cannot fetch " + coordinates + ": interrupted while mvn was running", e);
        }
    }

    /** {@code $MAVEN_HOME/bin/mvn} when MAVEN_HOME is set, else {@code mvn} from PATH. */
    private static String mavenExecutable() {
        String home = System.getenv("MAVEN_HOME");
        if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }
}
