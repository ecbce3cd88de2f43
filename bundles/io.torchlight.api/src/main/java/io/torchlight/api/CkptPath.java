package io.torchlight.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which checkpoint a stage starts from, as Lightning's {@code ckpt_path}: none, the best or last one the
 * checkpointing callback saved during this trainer's fit, or a file. {@code fit} resumes from it (weights,
 * optimizers, loop counters, callback states); {@code validate}, {@code test} and {@code predict} load its weights.
 */
@ProviderType
public final class CkptPath {

    /** Start from the module as it is. */
    public static final CkptPath NONE = new CkptPath("none", null);
    /** The best checkpoint of the checkpointing callback (ModelCheckpoint) of the last fit. */
    public static final CkptPath BEST = new CkptPath("best", null);
    /** The last checkpoint of the checkpointing callback of the last fit. */
    public static final CkptPath LAST = new CkptPath("last", null);

    private final String kind;
    private final Path file;

    private CkptPath(String kind, Path file) {
        this.kind = kind;
        this.file = file;
    }

    /** A checkpoint file. */
    public static CkptPath of(Path file) {
        return new CkptPath("file", Objects.requireNonNull(file, "file"));
    }

    /** {@code best}, {@code last}, {@code none} or else a file path, as a {@code ckpt_path=} argument reads. */
    public static CkptPath parse(String text) {
        String value = Objects.requireNonNull(text, "ckpt_path").trim();
        return switch (value) {
            case "best" -> BEST;
            case "last" -> LAST;
            case "none", "" -> NONE;
            default -> of(Path.of(value));
        };
    }

    /** The file, when this names one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public boolean isNone() {
        return this == NONE;
    }

    /** Whether this is {@link #BEST} (true) or {@link #LAST} (false); only meaningful when {@link #file()} is empty. */
    public boolean isBest() {
        return this == BEST;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CkptPath c && kind.equals(c.kind) && Objects.equals(file, c.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, file);
    }

    /** {@code best}, {@code last}, {@code none} or the file path. */
    @Override
    public String toString() {
        return file != null ? file.toString() : kind;
    }
}
