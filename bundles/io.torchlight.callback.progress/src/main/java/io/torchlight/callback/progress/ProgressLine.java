package io.torchlight.callback.progress;

import java.util.Locale;
import java.util.Map;

/**
 * One progress line, as Lightning's bar reads:
 * {@code Epoch 2: 45/64 [00:02<00:01, 21.50it/s, loss=0.123, v_num=2, val_acc=0.84]}.
 *
 * @param label     {@code Epoch 2}, {@code Validation}, {@code Testing}, {@code Predicting}
 * @param done      batches done
 * @param total     batches in all, or 0 when not known
 * @param elapsedNs time since the stage began
 * @param metrics   what follows the rate, in order; values print with three significant digits
 */
public record ProgressLine(String label, long done, long total, long elapsedNs, Map<String, Object> metrics) {

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(label).append(": ").append(done);
        if (total > 0) {
            line.append('/').append(total);
        }
        double seconds = elapsedNs / 1e9;
        line.append(" [").append(clock(seconds));
        if (total > 0 && done > 0) {
            line.append('<').append(clock(seconds / done * Math.max(0, total - done)));
        }
        double rate = seconds > 0 ? done / seconds : 0;
        line.append(", ").append(rate >= 1 || rate == 0 ? String.format(Locale.ROOT, "%.2fit/s", rate)
                : String.format(Locale.ROOT, "%.2fs/it", 1 / rate));
        metrics.forEach((k, v) -> line.append(", ").append(k).append('=').append(value(v)));
        return line.append(']').toString();
    }

    static String clock(double seconds) {
        long s = (long) seconds;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    /** Three significant digits without trailing zeros: 0.123, 21.5, 3, 1.23e-05. */
    static String value(Object v) {
        if (!(v instanceof Double d) || d.isNaN() || d.isInfinite()) {
            return String.valueOf(v);
        }
        String g = String.format(Locale.ROOT, "%.3g", d);
        double magnitude = Math.abs(d);
        if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e6)) {
            return g;
        }
        return new java.math.BigDecimal(g).stripTrailingZeros().toPlainString();
    }
}
