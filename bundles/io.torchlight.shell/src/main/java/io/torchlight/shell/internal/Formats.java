package io.torchlight.shell.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.torchlight.api.run.RunSnapshot;

/** How runs and metrics read on a terminal. */
final class Formats {

    private Formats() {
    }

    /** {@code loss=0.2315 val_loss=0.2512}, sorted by name; {@code epoch} left out. */
    static String metrics(Map<String, Double> metrics) {
        return new TreeMap<>(metrics).entrySet().stream().filter(e -> !e.getKey().equals("epoch"))
                .map(e -> e.getKey() + "=" + number(e.getValue())).collect(Collectors.joining(" "));
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** {@code run 3 boring fit: running, epoch 1, step 40 on cpu} plus metrics. */
    static String status(RunSnapshot run) {
        StringBuilder s = new StringBuilder("run ").append(run.id()).append(' ').append(run.module()).append(' ')
                .append(run.stage().lightningName()).append(": ").append(run.status().label())
                .append(", epoch ").append(run.epoch()).append(", step ").append(run.globalStep());
        if (run.device() != null) {
            s.append(" on ").append(run.device());
        }
        if (run.reason() != null) {
            s.append(" (").append(run.reason()).append(')');
        }
        String m = metrics(run.metrics());
        if (!m.isEmpty()) {
            s.append(" | ").append(m);
        }
        return s.toString();
    }
}
