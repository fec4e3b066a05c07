package dev.qspark.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code qspark} command line: the entry point of the job jar and of the {@code ./qspark} launcher.
 *
 * <p>Every subcommand is registered in the {@code subcommands} list below. Errors are reported by
 * {@link ErrorReporting}: invalid input and I/O failures as one line and exit code 2, anything else
 * as a stack trace and exit code 1.
 */
@Command(
        name = "qspark",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Applies torchao weight-only quantization configs to a Hugging Face safetensors model"
                + " with Apache Spark and writes Parquet.",
        footer = {
            "",
            "The ./qspark launcher also runs any command through Spark's SparkSubmit",
            "(see ./qspark submit --help):",
            "  ./qspark submit [SPARK-SUBMIT OPTIONS] -- COMMAND [ARGS]"
        },
        subcommands = {
            InspectCommand.class,
            QuantizeCommand.class,
            SweepCommand.class,
            ImportOnnxCommand.class,
            FetchModelCommand.class,
            ReportCommand.class,
            PlanCommand.class,
            VerifyCommand.class,
            ChecksumCommand.class,
            SqlCommand.class,
            ClusterCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class QsparkCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand; run 'qspark --help' to list them");
    }

    /**
     * Creates the command line with error reporting and the help layout of {@link QsparkHelp} installed. Tests
     * replace its output writers.
     */
    public static CommandLine commandLine() {
        ErrorReporting errors = new ErrorReporting();
        return new CommandLine(new QsparkCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setHelpFactory(QsparkHelp::new)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
