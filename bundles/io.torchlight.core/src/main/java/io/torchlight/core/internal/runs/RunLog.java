package io.torchlight.core.internal.runs;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.stream.Stream;

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

    /** Whether the run's folder holds nothing but this log (nothing trained, logged or saved yet). */
    boolean onlyFileOfItsFolder() {
        try (Stream<Path> entries = Files.list(file.getParent())) {
            return entries.allMatch(file::equals);
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes this log and its folder, which holds nothing else; on failure both stay. */
    synchronized void removeWithItsFolder() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            System.err.println("torchlight: cannot remove " + file.getParent() + ": " + e.getMessage());
        }
    }

    private synchronized void write(String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("torchlight: cannot write " + file + ": " + e.getMessage());
        }
    }
}
