package io.torchlight.utils.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Optimizer;

/**
 * Multiplies the rate by {@code factor} when a monitored metric has not improved for {@code patience}
 * steps (by more than a relative {@code threshold}), then waits {@code cooldown} steps; never below
 * {@code minLr}. Needs the monitored metric each time it steps (the trainer reads it from the scheduler configuration's monitor).
 */
public final class ReduceLROnPlateau extends LrScheduler {

    /** Whether smaller or larger values of the metric are better. */
    public enum Mode { MIN, MAX }

    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final int cooldown;
    private final double minLr;
    private double best;
    private int badEpochs;
    private int cooldownLeft;

    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience) {
        this(optimizer, mode, factor, patience, 1e-4, 0, 0);
    }

    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
            int cooldown, double minLr) {
        super(optimizer);
        if (!(factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau factor must be < 1, got " + factor);
        }
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    public boolean needsMetric() {
        return true;
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        throw new UnsupportedOperationException("ReduceLROnPlateau has no closed form");
    }

    @Override
    public void step() {
        throw new IllegalStateException("ReduceLROnPlateau steps with a metric: step(value)");
    }

    @Override
    public void step(double metric) {
        boolean better = mode == Mode.MIN ? metric < best * (1 - Math.copySign(threshold, best))
                : metric > best * (1 + Math.copySign(threshold, best));
        if (better) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            List<Double> lrs = lastLr();
            for (int g = 0; g < lrs.size(); g++) {
                setLr(g, Math.max(lrs.get(g) * factor, minLr));
            }
            cooldownLeft = cooldown;
            badEpochs = 0;
        }
    }

    @Override
    protected void settings(Map<String, Object> state) {
        state.put("factor", factor);
        List<Double> minLrs = new ArrayList<>();
        baseLrs().forEach(lr -> minLrs.add(minLr));
        state.put("min_lrs", minLrs);
        state.put("patience", patience);
        state.put("cooldown", cooldown);
        state.put("mode", mode == Mode.MIN ? "min" : "max");
        state.put("threshold", threshold);
        state.put("threshold_mode", "rel");
        state.put("mode_worse", mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
        state.put("eps", 1e-8);
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> state = super.stateDict();
        state.put("best", best);
        state.put("num_bad_epochs", badEpochs);
        state.put("cooldown_counter", cooldownLeft);
        state.put("_last_lr", lastLr());
        return state;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> state) {
        best = ((Number) state.get("best")).doubleValue();
        badEpochs = ((Number) state.get("num_bad_epochs")).intValue();
        cooldownLeft = ((Number) state.get("cooldown_counter")).intValue();
        List<Object> lrs = (List<Object>) state.get("_last_lr");
        for (int g = 0; g < lrs.size(); g++) {
            setLr(g, ((Number) lrs.get(g)).doubleValue());
        }
    }
}
