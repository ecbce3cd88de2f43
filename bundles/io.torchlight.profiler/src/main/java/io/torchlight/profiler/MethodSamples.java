package io.torchlight.profiler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Per method: the samples in which it ran itself (top of the stack) and those in which it was anywhere on the stack. */
final class MethodSamples {

    /** One method's counts. */
    private static final class Counts {
        long self;
        long total;
    }

    private final Map<String, Counts> methods = new HashMap<>();
    private long samples;
    private long inNative;

    void add(String top, Set<String> onStack, boolean isNative) {
        samples++;
        if (isNative) {
            inNative++;
        }
        methods.computeIfAbsent(top, m -> new Counts()).self++;
        for (String method : onStack) {
            methods.computeIfAbsent(method, m -> new Counts()).total++;
        }
    }

    long samples() {
        return samples;
    }

    /** The {@code rows} methods with the most samples of their own, as a table under a line saying what was sampled. */
    String render(int rows, Duration period) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Java methods of the training thread, sampled every %d ms by JFR: %d samples, %.1f %% in native code (libtorch)%n%n",
                period.toMillis(), samples, samples == 0 ? 0.0 : 100.0 * inNative / samples));
        if (samples == 0) {
            return out.append("(no samples: the stage was shorter than the sampling period)\n").toString();
        }
        List<Map.Entry<String, Counts>> sorted = new ArrayList<>(methods.entrySet());
        sorted.sort((a, b) -> a.getValue().self != b.getValue().self ? Long.compare(b.getValue().self, a.getValue().self)
                : Long.compare(b.getValue().total, a.getValue().total));
        String header = String.format(Locale.ROOT, "%-8s  |  %-8s  |  %-12s  |  %s", "Self %", "Total %", "Self samples", "Method");
        out.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (Map.Entry<String, Counts> row : sorted.subList(0, Math.min(rows, sorted.size()))) {
            Counts c = row.getValue();
            out.append(String.format(Locale.ROOT, "%-8.2f  |  %-8.2f  |  %-12d  |  %s%n", 100.0 * c.self / samples,
                    100.0 * c.total / samples, c.self, row.getKey()));
        }
        return out.toString();
    }
}
