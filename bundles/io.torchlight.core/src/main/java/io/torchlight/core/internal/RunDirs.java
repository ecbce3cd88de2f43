package io.torchlight.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Version folders, as Lightning's {@code version_<n>}: the next number after the highest present. */
public final class RunDirs {

    private static final Pattern VERSION = Pattern.compile("version_(\\d+)");

    private RunDirs() {
    }

    /** The next free {@code version_<n>} under {@code parent}, without creating it. */
    public static Path next(Path parent) {
        return parent.resolve("version_" + nextNumber(parent));
    }

    /** Creates and returns the next free {@code version_<n>} under {@code parent}; never reuses one. */
    public static Path create(Path parent) {
        try {
            Files.createDirectories(parent);
            for (int n = nextNumber(parent);; n++) {
                Path dir = parent.resolve("version_" + n);
                try {
                    return Files.createDirectory(dir);
                } catch (FileAlreadyExistsException raced) {
                    // another run took it: try the next number
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder under " + parent + ": " + e.getMessage(), e);
        }
    }

    private static int nextNumber(Path parent) {
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.map(p -> VERSION.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(-1) + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + parent + ": " + e.getMessage(), e);
        }
    }
}
