package dev.qspark.job.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Version for {@code --version}, from the {@code version.properties} resource that the build fills in. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IOException("Cannot read the qspark version: resource dev/qspark/job/cli/version.properties"
                        + " is missing from the classpath");
            }
            properties.load(in);
        }
        return new String[] {"qspark " + properties.getProperty("version", "unknown")};
    }
}
