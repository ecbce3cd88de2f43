package io.torchlight.core.internal.runs;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** {@code run.log} in a run's folder: status changes and errors with their stack traces. */
public final class RunLog {

    private final Path file;

    RunLog(Path dir) {
        this.file = dir.resolve("run.log");
    }

    void line(String text) {
        write(Instant.now() + " " + text + System.lineSeparator());
    }

    void error(String text, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        write(Instant.now() + " " + text + System.lineSeparator() + trace);
    }

    private synchronized void write(String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("torchlight: cannot write " + file + ": " + e.getMessage());
        }
    }
}
