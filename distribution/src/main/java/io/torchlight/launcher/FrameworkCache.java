package io.torchlight.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The framework cache of one container process. Felix wipes its cache on every start, so two processes
 * sharing {@code data/felix-cache} destroy each other's bundles: the first process holds a lock on it, and a
 * process that finds the lock taken uses a private {@code data/felix-cache-<pid>} that it deletes on exit.
 */
final class FrameworkCache {

    private final Path storage;
    private final Path fileInstallTmp;
    private final FileChannel lockFile;
    private final FileLock lock;

    private FrameworkCache(Path storage, Path fileInstallTmp, FileChannel lockFile, FileLock lock) {
        this.storage = storage;
        this.fileInstallTmp = fileInstallTmp;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** The shared cache when no other container uses it, else a private one for this process. */
    static FrameworkCache claim(Path data) throws LaunchException {
        Path lockPath = data.resolve("felix-cache.lock");
        try {
            FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock != null) {
                return new FrameworkCache(data.resolve("felix-cache"), data.resolve("fileinstall"), channel, lock);
            }
            channel.close();
            long pid = ProcessHandle.current().pid();
            return new FrameworkCache(data.resolve("felix-cache-" + pid), data.resolve("fileinstall-" + pid), null, null);
        } catch (IOException e) {
            throw new LaunchException("cannot lock " + lockPath + " (" + e.getMessage()
                    + "): make TORCHLIGHT_DATA writable or point it elsewhere", e);
        }
    }

    Path storage() {
        return storage;
    }

    Path fileInstallTmp() {
        return fileInstallTmp;
    }

    /** Whether this process uses a private cache because another container holds the shared one. */
    boolean isPrivate() {
        return lock == null;
    }

    /** Releases the shared cache, or deletes this process's private one. */
    void release() {
        try {
            if (lock != null) {
                lock.release();
                lockFile.close();
            } else {
                deleteTree(storage);
                deleteTree(fileInstallTmp);
            }
        } catch (IOException e) {
            System.err.println("torchlight: cannot release the framework cache " + storage + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
