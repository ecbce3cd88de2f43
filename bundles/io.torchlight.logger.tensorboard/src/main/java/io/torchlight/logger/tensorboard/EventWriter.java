package io.torchlight.logger.tensorboard;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.torchlight.logger.tensorboard.events.TfRecords;
import io.torchlight.logger.tensorboard.proto.Event;

/**
 * One {@code events.out.tfevents.<time>.<host>.<pid>} file in a folder, made at the first event with the file
 * version record first; errors name the file.
 */
final class EventWriter {

    private final Path dir;
    private Path file;
    private OutputStream out;

    EventWriter(Path dir) {
        this.dir = dir;
    }

    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    void write(Event event) {
        try {
            if (out == null) {
                open();
            }
            TfRecords.write(out, event.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("tensorboard logger cannot write " + (file != null ? file : dir) + ": " + e.getMessage(), e);
        }
    }

    void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("tensorboard logger cannot flush " + file + ": " + e.getMessage(), e);
            }
        }
    }

    void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("tensorboard logger cannot close " + file + ": " + e.getMessage(), e);
            } finally {
                out = null;
            }
        }
    }

    private void open() throws IOException {
        Files.createDirectories(dir);
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        long seconds = System.currentTimeMillis() / 1000;
        String name = "events.out.tfevents." + seconds + "." + host + "." + ProcessHandle.current().pid();
        Path candidate = dir.resolve(name);
        for (int n = 1; Files.exists(candidate); n++) {
            candidate = dir.resolve(name + "." + n);
        }
        file = candidate;
        out = new BufferedOutputStream(Files.newOutputStream(file));
        TfRecords.write(out, Event.newBuilder().setWallTime(now()).setFileVersion("brain.Event:2").build().toByteArray());
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }
}
