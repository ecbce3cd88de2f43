package io.torchlight.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Felix's log: every entry, with stack traces, goes to the container's log file; warnings and errors also
 * reach the console as one line each.
 */
final class FrameworkLog extends Logger {

    private final Path file;

    FrameworkLog(Path file) {
        this.file = file;
        setLogLevel(LOG_INFO);
    }

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String source = bundle != null ? bundle.getSymbolicName() : sr != null ? String.valueOf(sr.getBundle()) : "framework";
        String label = switch (level) {
            case LOG_ERROR -> "ERROR";
            case LOG_WARNING -> "WARN";
            case LOG_INFO -> "INFO";
            default -> "DEBUG";
        };
        StringWriter entry = new StringWriter();
        entry.append(Instant.now().toString()).append(' ').append(label).append(" [").append(source).append("] ").append(msg);
        if (throwable != null) {
            entry.append(System.lineSeparator());
            throwable.printStackTrace(new PrintWriter(entry));
        }
        append(entry.append(System.lineSeparator()).toString());
        if (level <= LOG_WARNING) {
            System.err.println("torchlight: " + label + " [" + source + "] " + msg
                    + (throwable == null ? "" : ": " + LaunchException.reason(throwable)));
        }
    }

    private synchronized void append(String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("torchlight: cannot write log " + file + ": " + e.getMessage());
        }
    }
}
