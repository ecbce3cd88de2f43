package io.torchlight.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Brings the container's warnings and errors to where the user looks: every WARN or ERROR entry of the
 * OSGi log (SCR, FileInstall, our bundles) is appended with its stack trace to the container's log file
 * (framework property {@code torchlight.log.file}, {@code data/log/torchlight.log}) and printed on the
 * console as one line that points at that file. Entries logged before this component started are replayed.
 */
@Component(immediate = true)
public class ErrorLog implements LogListener {

    private final LogReaderService reader;
    private final Path file;
    private final PrintStream console;

    @Activate
    public ErrorLog(@Reference LogReaderService reader, BundleContext context) {
        this(reader, file(context.getProperty("torchlight.log.file")), System.err);
    }

    ErrorLog(LogReaderService reader, Path file, PrintStream console) {
        this.reader = reader;
        this.file = file;
        this.console = console;
        List<LogEntry> earlier = new ArrayList<>();
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
            earlier.add(e.nextElement());
        }
        Collections.reverse(earlier); // getLog() is newest first
        reader.addLogListener(this);
        earlier.forEach(this::logged);
    }

    private static Path file(String property) {
        return property == null || property.isBlank() ? null : Path.of(property);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        LogLevel level = entry.getLogLevel();
        if (level != LogLevel.ERROR && level != LogLevel.WARN) {
            return;
        }
        String source = source(entry.getBundle());
        Throwable error = entry.getException();
        String line = level + " [" + source + "] " + entry.getMessage() + (error == null ? "" : ": " + reason(error));
        if (file != null) {
            StringWriter text = new StringWriter();
            text.append(Instant.ofEpochMilli(entry.getTime()).toString()).append(' ').append(line).append(System.lineSeparator());
            if (error != null) {
                error.printStackTrace(new PrintWriter(text));
            }
            append(text.toString());
        }
        console.println("torchlight: " + line + (error != null && file != null ? " (stack trace in " + file + ")" : ""));
    }

    private static String source(Bundle bundle) {
        return bundle == null ? "?" : bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    /** The innermost message, as users read it. */
    private static String reason(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private synchronized void append(String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            console.println("torchlight: cannot write log " + file + ": " + e.getMessage());
        }
    }
}
