package io.torchlight.core;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What {@link Tuner#lrFind} saw: the learning rates it tried, in order, and the smoothed loss at each, as Lightning's
 * {@code _LRFinder.results}; {@link #suggestion()} is Lightning's pick, the rate where the loss falls fastest.
 */
public final class LrFinder {

    private final List<Double> lrs;
    private final List<Double> losses;

    LrFinder(List<Double> lrs, List<Double> losses) {
        this.lrs = List.copyOf(lrs);
        this.losses = List.copyOf(losses);
    }

    public List<Double> lrs() {
        return lrs;
    }

    /** The loss at each rate, exponentially smoothed (beta 0.98) with bias correction, as Lightning records it. */
    public List<Double> losses() {
        return losses;
    }

    /** Lightning's default suggestion: skip the first 10 points and the last one. */
    public OptionalDouble suggestion() {
        return suggestion(10, 1);
    }

    /**
     * The rate at the steepest fall of the loss between {@code skipBegin} points from the start and {@code skipEnd}
     * from the end (numpy's gradient: central differences, one-sided at the ends); empty when fewer than two points
     * remain, as Lightning then fails to compute one.
     */
    public OptionalDouble suggestion(int skipBegin, int skipEnd) {
        int end = losses.size() - skipEnd;
        List<Double> window = new ArrayList<>();
        for (int i = skipBegin; i < end; i++) {
            window.add(losses.get(i));
        }
        if (window.size() < 2 || window.stream().anyMatch(v -> !Double.isFinite(v))) {
            return OptionalDouble.empty();
        }
        int best = 0;
        double steepest = Double.POSITIVE_INFINITY;
        int n = window.size();
        for (int i = 0; i < n; i++) {
            double g = i == 0 ? window.get(1) - window.get(0)
                    : i == n - 1 ? window.get(n - 1) - window.get(n - 2)
                    : (window.get(i + 1) - window.get(i - 1)) / 2;
            if (g < steepest) {
                steepest = g;
                best = i;
            }
        }
        return OptionalDouble.of(lrs.get(best + skipBegin));
    }
}
