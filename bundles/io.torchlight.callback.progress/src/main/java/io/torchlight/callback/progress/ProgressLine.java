package io.torchlight.callback.progress;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
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

    private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);

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
        line.append(", ");
        if (rate >= 1 || rate == 0) {
            twoDecimals(line, rate).append("it/s");
        } else {
            twoDecimals(line, 1 / rate).append("s/it");
        }
        metrics.forEach((k, v) -> line.append(", ").append(k).append('=').append(value(v)));
        return line.append(']').toString();
    }

    /** {@code mm:ss}, or {@code h:mm:ss} from an hour on (built by hand: String.format costs a regex parse per call). */
    static String clock(double seconds) {
        long s = (long) seconds;
        StringBuilder out = new StringBuilder(8);
        if (s >= 3600) {
            out.append(s / 3600).append(':');
            twoDigits(out, s / 60 % 60);
        } else {
            twoDigits(out, s / 60);
        }
        return twoDigits(out.append(':'), s % 60).toString();
    }

    private static StringBuilder twoDigits(StringBuilder out, long v) {
        return (v < 10 ? out.append('0') : out).append(v);
    }

    /** {@code v} rounded half-up to two decimals, as {@code %.2f} prints it. */
    private static StringBuilder twoDecimals(StringBuilder out, double v) {
        long hundredths = Math.round(v * 100);
        out.append(hundredths / 100).append('.');
        return twoDigits(out, hundredths % 100);
    }

    /** Three significant digits without trailing zeros: 0.123, 21.5, 3, 1.23e-05. */
    static String value(Object v) {
        if (!(v instanceof Double d) || d.isNaN() || d.isInfinite()) {
            return String.valueOf(v);
        }
        BigDecimal rounded = BigDecimal.valueOf(d).round(THREE_DIGITS);
        double magnitude = Math.abs(rounded.doubleValue());
        if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e6)) {
            return scientific(rounded);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    /**
     * {@code %.3g} of a value already rounded to three digits, in scientific form ({@code 1.23e-05}, {@code -4.00e+07}),
     * built by hand: String.format parses its pattern on every call, and a small learning rate on the bar is common.
     */
    private static String scientific(BigDecimal rounded) {
        String digits = rounded.unscaledValue().abs().toString();
        int exponent = digits.length() - rounded.scale() - 1;
        StringBuilder mantissa = new StringBuilder(digits).append("00"); // 1.0E-5 has the digits "10": 1.00e-05
        mantissa.setLength(3);
        StringBuilder out = new StringBuilder(10);
        if (rounded.signum() < 0) {
            out.append('-');
        }
        out.append(mantissa.charAt(0)).append('.').append(mantissa, 1, 3).append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        return (e < 10 ? out.append('0') : out).append(e).toString();
    }
}
