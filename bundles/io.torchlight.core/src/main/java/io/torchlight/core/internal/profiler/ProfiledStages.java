package io.torchlight.core.internal.profiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.core.internal.hooks.Hooks;

/**
 * Runs each stage under the trainer's profiler, if it has one: a recording opened for the stage receives every timed
 * hook and loop section, and its report goes to {@code <stage>-profiler.txt} in the run folder when the stage ends,
 * whatever its outcome (a failed stage's own error stays the one the user sees).
 */
public final class ProfiledStages {

    private final Profiler profiler;
    private final Hooks hooks;

    /** {@code profiler}: null for none. */
    public ProfiledStages(Profiler profiler, Hooks hooks) {
        this.profiler = profiler;
        this.hooks = hooks;
    }

    /** Runs {@code stage}; {@code dir} gives the run folder once the stage has made it. */
    public <T> T run(Stage stage, Supplier<Path> dir, Supplier<T> body) {
        if (profiler == null) {
            return body.get();
        }
        Profiler.Recording recording = profiler.start(stage);
        hooks.profiler(recording);
        T result;
        try {
            result = body.get();
        } catch (RuntimeException | Error e) {
            try {
                write(stage, recording, dir.get());
            } catch (RuntimeException w) {
                e.addSuppressed(w);
            }
            throw e;
        } finally {
            hooks.profiler(null);
        }
        write(stage, recording, dir.get());
        return result;
    }

    private void write(Stage stage, Profiler.Recording recording, Path dir) {
        Path file = dir.resolve(stage.lightningName() + "-profiler.txt");
        String report;
        try {
            report = recording.report();
        } catch (RuntimeException e) {
            throw new TorchlightException("profiler " + profiler.name() + " could not report the " + stage.lightningName()
                    + " stage: " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(file, report, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TorchlightException("profiler: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
