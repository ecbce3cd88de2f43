package io.torchlight.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The files of a run's folder: listed (a bounded number, a few levels deep) and served, only from inside that
 * folder: no {@code ..}, no absolute paths, no symbolic link leading out, regular files only. Text files are served
 * as text, everything else as a download.
 */
final class RunFiles {

    static final int MAX_FILES = 500;
    private static final int DEPTH = 3;
    private static final Map<String, String> TEXT = Map.of("csv", "text/csv", "yaml", "text/plain", "yml", "text/plain",
            "log", "text/plain", "txt", "text/plain", "json", "application/json");

    private RunFiles() {
    }

    /** {@code [{path, size}]} of the run folder's regular files, sorted by path. */
    static List<Map<String, Object>> list(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir, DEPTH)) {
            List<Map<String, Object>> out = new ArrayList<>();
            files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().limit(MAX_FILES).forEach(f -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("path", dir.relativize(f).toString().replace('\\', '/'));
                entry.put("size", size(f));
                out.add(entry);
            });
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of(); // the folder changed while it was listed: the next look lists it again
        }
    }

    /** The file {@code relative} of the run folder {@code dir}; 404 for anything that is not one of its regular files. */
    static Path resolve(Path dir, String relative) {
        if (dir == null) {
            throw HttpError.notFound("this run has no folder (it ended before it started)");
        }
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")
                || relative.contains("\0")) {
            throw HttpError.notFound("no such file in the run folder: '" + relative + "'");
        }
        try {
            Path file = dir.resolve(relative).normalize();
            Path root = dir.toRealPath();
            if (!file.startsWith(dir) || !Files.isRegularFile(file) || !file.toRealPath().startsWith(root)) {
                throw HttpError.notFound("no such file in the run folder: '" + relative + "'");
            }
            return file;
        } catch (InvalidPathException | IOException e) {
            throw HttpError.notFound("no such file in the run folder: '" + relative + "'");
        }
    }

    /** Streams the file with a content type by extension; text is never sniffed, other files are downloads. */
    static void send(Path file, HttpServletResponse response) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TEXT.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type != null) {
            response.setContentType(type + "; charset=utf-8");
        } else {
            response.setContentType("application/octet-stream");
            response.setHeader("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        }
        response.setContentLengthLong(Files.size(file));
        try (OutputStream out = response.getOutputStream()) {
            Files.copy(file, out);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
