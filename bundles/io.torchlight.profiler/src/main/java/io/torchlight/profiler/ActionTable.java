package io.torchlight.profiler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.torchlight.api.Stage;

/**
 * Every action's calls and total time in one stage, laid out as Lightning 1.6.5's SimpleProfiler summary: mean
 * duration, calls, total and share of the stage, longest first, under a {@code Total} row for the whole stage.
 */
final class ActionTable {

    /** One action's count and total nanoseconds. */
    private static final class Tally {
        long calls;
        long nanos;
    }

    private final Map<String, Tally> actions = new HashMap<>();
    private final long start = System.nanoTime();

    void record(String action, long nanos) {
        Tally t = actions.computeIfAbsent(action, a -> new Tally());
        t.calls++;
        t.nanos += nanos;
    }

    /** The stage's title line and its table, measured up to now. */
    String render(Stage stage) {
        long total = Math.max(1, System.nanoTime() - start);
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
}
