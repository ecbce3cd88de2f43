package io.torchlight.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A number of batches given either as a count or as a fraction of what a dataloader holds, like
 * Lightning's {@code limit_train_batches=10} or {@code =0.25}. {@code 0} disables.
 */
@ProviderType
public final class Limit {

    /** Every batch. */
    public static final Limit ALL = new Limit(1.0, false);
    /** No batch: disables the loop. */
    public static final Limit NONE = new Limit(0, true);

    private final double value;
    private final boolean count;

    private Limit(double value, boolean count) {
        this.value = value;
        this.count = count;
    }

    /** Exactly {@code n} batches (fewer if the data has fewer). */
    public static Limit count(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a batch count must be >= 0, got " + n);
        }
        return new Limit(n, true);
    }

    /** A fraction in [0, 1] of the batches. */
    public static Limit fraction(double f) {
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException("a batch fraction must be in [0, 1], got " + f);
        }
        return new Limit(f, false);
    }

    /** Parses {@code "10"} as a count and {@code "0.25"} or {@code "1.0"} as a fraction. */
    public static Limit parse(String text) {
        String t = text.trim();
        try {
            if (t.contains(".") || t.contains("e") || t.contains("E")) {
                return fraction(Double.parseDouble(t));
            }
            return count(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a batch count (e.g. 10) or a fraction (e.g. 0.25), got '" + text + "'", e);
        }
    }

    public boolean isCount() {
        return count;
    }

    public double value() {
        return value;
    }

    /** Whether no batch at all runs. */
    public boolean disables() {
        return value == 0;
    }

    /** How many of {@code available} batches run. A non-zero fraction of a non-empty loader runs at least one. */
    public int of(int available) {
        if (count) {
            return (int) Math.min(available, (long) value);
        }
        if (value == 0 || available == 0) {
            return 0;
        }
        return Math.max(1, (int) Math.floor(available * value));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limit l && l.value == value && l.count == count;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value) * 31 + Boolean.hashCode(count);
    }

    @Override
    public String toString() {
        return count ? String.valueOf((long) value) : String.valueOf(value);
    }
}
