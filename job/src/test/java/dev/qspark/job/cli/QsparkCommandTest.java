package dev.qspark.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QsparkCommandTest {

    @TempDir
    Path folder;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = QsparkCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void missingOnnxFileExitsTwoWithOneLine() {
        Path missing = folder.resolve("missing.onnx");

        int exitCode = run("import-onnx", missing.toString(), folder.resolve("out").toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("qspark: Cannot read " + missing + ": file not found" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void importOnnxKeepsExistingModelWithoutOverwrite() throws IOException {
        Path out = Files.createDirectories(folder.resolve("out"));
        Path existing = Files.writeString(out.resolve("model.safetensors"), "from an earlier import");
        Path missing = folder.resolve("missing.onnx");

        int rejected = run("import-onnx", missing.toString(), out.toString());
        assertThat(rejected).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot write to " + existing + ": it already exists", "--overwrite");
        assertThat(existing).hasContent("from an earlier import");

        // With --overwrite the command goes on to read the ONNX file, which is missing here.
        int overwritten = run("import-onnx", missing.toString(), out.toString(), "--overwrite");
        assertThat(overwritten).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot read " + missing + ": file not found");
    }

    @Test
    void quantizeNamesOnlyTheMissingOption() {
        int exitCode = run("quantize", "--config", "Int8WeightOnlyConfig()", "--out", folder.resolve("q").toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("qspark: Missing required option: '--model=MODEL'");
    }

    @Test
    void sweepUsageMarksModelAndOutRequired() {
        String usage = QsparkCommand.commandLine().getSubcommands().get("sweep").getUsageMessage();

        assertThat(usage).contains("--model=MODEL", "--out=DIR").doesNotContain("[--model=MODEL]", "[--out=DIR]");
    }

    @Test
    void listPresetsNeedsNoOtherOption() {
        assertThat(run("sweep", "--list-presets")).isZero();
        assertThat(out.toString()).contains("versions");
    }

    @Test
    void missingPresetConfigsListedOnePerLine() {
        int exitCode = run("sweep", "--model", "model.safetensors", "--out", folder.resolve("o").toString(),
                "--configs", "versions", "--torchao", "0.18");

        assertThat(exitCode).isEqualTo(2);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("qspark: Cannot use preset versions under torchao 0.18: ")
                .endsWith("configs are not accepted:");
        assertThat(lines.subList(1, lines.size())).isNotEmpty().allMatch(line -> line.startsWith("  - "));
    }

    @Test
    void singleConfigErrorNamesItOnce() {
        String config = "Int4WeightOnlyConfig(group_size=128, version=1)";
        int exitCode = run("quantize", "--model", "model.safetensors", "--out", folder.resolve("o").toString(),
                "--config", config, "--torchao", "0.16");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("qspark: Cannot use config " + config + " under torchao 0.16: ")
                .doesNotContain("of its 1 configs", config + ": ");
    }

    @Test
    void configSyntaxErrorNamesNoRelease() {
        int exitCode = run("quantize", "--model", "model.safetensors", "--out", folder.resolve("o").toString(),
                "--config", "Int4WeightOnlyConfig(group_size=");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("qspark: Cannot use config Int4WeightOnlyConfig(group_size=: ")
                .doesNotContain("under torchao");
    }

    @Test
    void missingModelRejectedBeforeSpark() {
        Path missing = folder.resolve("no-model");
        int exitCode = run("quantize", "--model", missing.toString(), "--out", folder.resolve("o").toString(),
                "--config", "Int8WeightOnlyConfig()");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot read model " + missing + ": no such file or folder")
                .doesNotContain("known model names");
    }

    @Test
    void invalidSizesAndPatternsRejectedBeforeModel() {
        // The model does not exist, so an error about the option shows it was checked first, before Spark.
        String[][] cases = {
            {"--unit-bytes", "0", "Cannot use --unit-bytes 0: the bytes per work unit must be positive"},
            {"--partitions", "0", "Cannot use --partitions 0: the partition count must be positive"},
            {"--include", "(", "Cannot use --include \"(\": invalid regular expression"},
        };
        for (String[] option : cases) {
            err.getBuffer().setLength(0);
            int exitCode = run("quantize", "--model", folder.resolve("no-model").toString(), "--out",
                    folder.resolve("o").toString(), "--config", "Int8WeightOnlyConfig()", option[0], option[1]);

            assertThat(exitCode).as(option[0]).isEqualTo(2);
            assertThat(err.toString()).as(option[0]).startsWith("qspark: " + option[2]);
        }
    }

    @Test
    void bareMissingModelNameListsKnownModels() {
        int exitCode = run("quantize", "--model", "all-minilm-l6", "--out", folder.resolve("o").toString(),
                "--config", "Int8WeightOnlyConfig()");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot read model all-minilm-l6: no such file or folder",
                "; known model names: all-minilm-l6-v2, bge-small-en-v1.5");
    }

    @Test
    void unknownModelNameExitsTwoWithOneLine() {
        int exitCode = run("fetch-model", "gpt-2-xl", "--cache-dir", folder.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "qspark: Cannot fetch model 'gpt-2-xl': unknown name; known models: all-minilm-l6-v2, bge-small-en-v1.5");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void byteSizeOptionsAcceptBinarySuffixes() {
        CommandLine commandLine = QsparkCommand.commandLine();

        commandLine.parseArgs("quantize", "--model", "m", "--out", "o", "--config", "Int8WeightOnlyConfig()",
                "--unit-bytes", "8MiB");
        QuantizeCommand quantize = commandLine.getSubcommands().get("quantize").getCommand();
        assertThat(quantize.options.unitBytes).isEqualTo(8L << 20);

        commandLine.parseArgs("inspect", "model", "--max-header-bytes", "2k");
        InspectCommand inspect = commandLine.getSubcommands().get("inspect").getCommand();
        assertThat(inspect.maxHeaderBytes).isEqualTo(2048L);

        commandLine.parseArgs("plan", "dir", "--budget-bytes", "1GiB");
        PlanCommand plan = commandLine.getSubcommands().get("plan").getCommand();
        assertThat(plan.budget.bytes).isEqualTo(1L << 30);
    }

    @Test
    void invalidUnitBytesNamesOptionAndValue() {
        int exitCode = run("sweep", "--model", "m", "--out", folder.resolve("o").toString(), "--configs", "versions",
                "--unit-bytes", "8MB");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("qspark: Invalid value for option '--unit-bytes': '8MB' is"
                + " not a byte size: expected a byte count or a count with a KiB, MiB or GiB suffix, such as 8MiB");
    }

    @Test
    void invalidDtypeIsAParameterError() {
        int exitCode = run("import-onnx", "model.onnx", "out", "--dtype", "int3");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("qspark: Invalid value for option '--dtype'")
                .contains("int3");
    }

    @Test
    void missingParameterPrintsOneLine() {
        int exitCode = run("import-onnx", "model.onnx");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("qspark: Missing required parameter")
                .contains("OUT");
    }

    @Test
    void noSubcommandIsAParameterError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("qspark: Missing subcommand; run 'qspark --help' to list them");
    }

    @Test
    void versionComesFromTheBuild() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString().strip()).matches("qspark \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void helpListsSubcommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("import-onnx", "fetch-model");
    }

    @Test
    void unexpectedExceptionPrintsStackTraceAndExitsOne() {
        CommandLine commandLine = QsparkCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = new ErrorReporting().handleExecutionException(
                new IllegalStateException("index out of step"), commandLine, null);

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("java.lang.IllegalStateException: index out of step")
                .contains("\tat ");
    }

    @Test
    void multiLineMessageIsJoined() {
        CommandLine commandLine = QsparkCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = new ErrorReporting().handleExecutionException(
                new java.io.IOException("Cannot write out:\n  disk full\n"), commandLine, null);

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("qspark: Cannot write out: disk full");
    }

    @Test
    void resolverKeepsPaths() throws Exception {
        assertThat(ModelResolver.resolve("/models/llama")).isEqualTo("/models/llama");
        assertThat(ModelResolver.resolve("./all-minilm-l6-v2")).isEqualTo("./all-minilm-l6-v2");
    }
}
