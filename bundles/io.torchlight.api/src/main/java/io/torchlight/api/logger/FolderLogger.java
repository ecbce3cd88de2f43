package io.torchlight.api.logger;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A logger that writes files into one folder: the one given to its constructor, or else the run folder
 * {@link #setup} names. Its version is that folder's name ({@code version_3}).
 */
@ConsumerType
public abstract class FolderLogger implements Logger {

    private Path dir;

    /** A logger that writes into the folder {@link #setup} names. */
    protected FolderLogger() {
    }

    /** A logger that writes into this folder. */
    protected FolderLogger(Path dir) {
        this.dir = dir;
    }

    @Override
    public String version() {
        return dir == null ? "" : dir.getFileName().toString();
    }

    @Override
    public Optional<Path> logDir() {
        return Optional.ofNullable(dir);
    }

    @Override
    public void setup(Path runDir) {
        if (dir == null) {
            dir = runDir;
        }
    }

    /** The folder, or an error naming this logger when it has none yet. */
    protected Path folder() {
        if (dir == null) {
            throw new IllegalStateException(name() + " logger has no folder: call setup(runDir) or pass one to the constructor");
        }
        return dir;
    }
}
