package dev.qspark.job.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The command line's one rule for errors. Invalid arguments ({@link ParameterException}), invalid
 * input ({@link IllegalArgumentException}) and I/O failures ({@link IOException},
 * {@link UncheckedIOException}) print {@code qspark: <message>} as a single line on standard error and
 * exit with {@link #USER_ERROR}. Any other exception is a bug: its stack trace is printed and the exit
 * code is {@link #BUG}.
 */
final class ErrorReporting implements IParameterExceptionHandler, IExecutionExceptionHandler {

    /** Exit code for invalid arguments or input and for I/O failures. */
    static final int USER_ERROR = 2;
    /** Exit code for unexpected exceptions. */
    static final int BUG = 1;

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

    private static String oneLine(String message) {
        return "qspark: " + message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
