package dev.qspark.job.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.apache.spark.SparkThrowable;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The command line's one rule for errors. Invalid arguments ({@link ParameterException}), invalid
 * input ({@link IllegalArgumentException}), I/O failures ({@link IOException},
 * {@link UncheckedIOException}) and Spark tasks that failed to read a file print
 * {@code qspark: <message>} as a single line on standard error, followed by one line per list entry
 * where the message contains a list, and exit with {@link #USER_ERROR}. Any other exception is a bug:
 * its stack trace is printed and the exit code is {@link #BUG}.
 */
final class ErrorReporting implements IParameterExceptionHandler, IExecutionExceptionHandler {

    /** Exit code for invalid arguments or input and for I/O failures. */
    static final int USER_ERROR = 2;
    /** Exit code for unexpected exceptions. */
    static final int BUG = 1;

    /** Spark's error condition for a task that failed to read a file; subconditions follow a dot. */
    static final String FAILED_READ_FILE = "FAILED_READ_FILE";

    /** The start of a message line that is printed on its own line, as one entry of a list. */
    static final String LIST_ITEM = "  - ";

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        e.getCommandLine().getErr().println(oneLine(e.getMessage()));
        return USER_ERROR;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException) {
            commandLine.getErr().println(oneLine(message(e)));
            return USER_ERROR;
        }
        String unreadable = unreadableFile(e);
        if (unreadable != null) {
            commandLine.getErr().println(oneLine(unreadable));
            return USER_ERROR;
        }
        e.printStackTrace(commandLine.getErr());
        return BUG;
    }

    /** Returns the exception's message, with a sentence for JDK file exceptions whose message is only the path. */
    private static String message(Exception e) {
        Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
        if (cause instanceof NoSuchFileException missing) {
            return "Cannot read " + missing.getFile() + ": file not found";
        }
        if (cause instanceof AccessDeniedException denied) {
            return "Cannot access " + denied.getFile() + ": permission denied";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName() : message;
    }

    /**
     * Returns a message naming the file and the reason when {@code e} is Spark's error for a task that
     * could not read a file (condition {@value #FAILED_READ_FILE}, e.g. a truncated or corrupt Parquet
     * file), or null for any other exception. The reason is the message of the innermost cause.
     */
    static String unreadableFile(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SparkThrowable spark && spark.getCondition() != null
                && spark.getCondition().startsWith(FAILED_READ_FILE)) {
                String reason = readFailureReason(cause);
                String path = spark.getMessageParameters().getOrDefault("path", "a file");
                return "Cannot read " + path + ": " + reason + "; the file is damaged or was changed after it"
                    + " was written";
            }
        }
        return null;
    }

    /**
     * Returns the message of the innermost cause below Spark's read error. An exception without a
     * message, such as the {@code EOFException} of a cut-off page, is named after the innermost message
     * above it, e.g. {@code Can not read value at 0 in block -1 in file ... (EOFException)}.
     */
    private static String readFailureReason(Throwable readError) {
        String message = null;
        Throwable innermost = readError;
        for (Throwable cause = readError.getCause(); cause != null; cause = cause.getCause()) {
            innermost = cause;
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
            }
        }
        if (innermost == readError) {
            return readError.getMessage();
        }
        if (innermost.getMessage() != null && !innermost.getMessage().isBlank()) {
            return innermost.getMessage();
        }
        String name = innermost.getClass().getSimpleName();
        return message == null ? name : message + " (" + name + ")";
    }

    /**
     * Joins the message's lines into one, except list items: lines that start with {@code "  - "} keep
     * their own line, so a list of many entries stays readable.
     */
    private static String oneLine(String message) {
        StringBuilder result = new StringBuilder("qspark: ");
        boolean first = true;
        for (String line : message.strip().split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!first && line.startsWith(LIST_ITEM)) {
                result.append(System.lineSeparator()).append(line.stripTrailing());
            } else {
                result.append(first ? "" : " ").append(trimmed);
            }
            first = false;
        }
        return result.toString();
    }
}
