package io.torchlight.core.internal.profiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;

/**
 * Lightning's {@code profiler="simple"}: the wall time of every action, hooks named as Lightning names them
 * ({@code [LightningModule]BoringModel.trainingStep}, {@code [Callback]ModelCheckpoint.onTrainEpochEnd}) and the
 * loops' {@code run_training_epoch} and {@code run_training_batch}; after each stage its report (mean duration,
 * calls, total and share of the stage, longest first) goes to {@code <stage>-profiler.txt} in the run folder.
 * Used from the training thread only; without it, nothing is timed.
 */
public final class SimpleProfiler {

    /** One action's count and total nanoseconds. */
    private static final class Tally {
        long calls;
        long nanos;
    }

    private final Map<String, Tally> actions = new LinkedHashMap<>();
    private long stageStart = System.nanoTime();

    /** The profiler of a {@code profiler} flag: none for "", a simple one for "simple", an error otherwise. */
    public static SimpleProfiler of(String name) {
        String value = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "none" -> null;
            case "simple" -> new SimpleProfiler();
            default -> throw new TorchlightException("profiler: expected simple (or none), got '" + name
                    + "'; Lightning's advanced and pytorch profilers have no Torchlight counterpart");
        };
    }

    /** Adds one timed call of {@code action}. */
    public void record(String action, long nanos) {
        Tally t = actions.computeIfAbsent(action, a -> new Tally());
        t.calls++;
        t.nanos += nanos;
    }

    /** Starts timing a new stage. */
    public void stageStarted() {
        actions.clear();
        stageStart = System.nanoTime();
    }

    /** The report of the stage so far, as Lightning's SimpleProfiler.summary() lays it out. */
    public String summary(Stage stage) {
        long total = Math.max(1, System.nanoTime() - stageStart);
        List<Map.Entry<String, Tally>> rows = new ArrayList<>(actions.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue().nanos, a.getValue().nanos));
        int width = Math.max("Action".length(), rows.stream().mapToInt(r -> r.getKey().length()).max().orElse(0));
        String header = String.format(Locale.ROOT, "%-" + width + "s  |  %-17s  |  %-9s  |  %-14s  |  %-12s", "Action",
                "Mean duration (s)", "Num calls", "Total time (s)", "Percentage %");
        StringBuilder out = new StringBuilder(stage.lightningName().toUpperCase(Locale.ROOT)).append(" Profiler Report\n\n")
                .append(header).append('\n').append("-".repeat(header.length())).append('\n');
        out.append(String.format(Locale.ROOT, "%-" + width + "s  |  %-17s  |  %-9s  |  %-14.5f  |  %-12s%n", "Total", "-", "-",
                total / 1e9, "100 %"));
        out.append("-".repeat(header.length())).append('\n');
        for (Map.Entry<String, Tally> r : rows) {
            Tally t = r.getValue();
            out.append(String.format(Locale.ROOT, "%-" + width + "s  |  %-17.5g  |  %-9d  |  %-14.5f  |  %-12.3f%n", r.getKey(),
                    t.nanos / 1e9 / t.calls, t.calls, t.nanos / 1e9, 100.0 * t.nanos / total));
        }
        return out.toString();
    }

    /** Writes the stage's report to {@code <dir>/<stage>-profiler.txt} and returns the file. */
    public Path write(Stage stage, Path dir) {
        Path file = dir.resolve(stage.lightningName() + "-profiler.txt");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, summary(stage), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new TorchlightException("profiler: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
