package io.torchlight.utils.optim;

import java.util.Map;

import org.bytedeco.pytorch.Optimizer;

/**
 * The 1cycle policy with cosine annealing: from {@code maxLr / divFactor} up to {@code maxLr} over
 * {@code pctStart} of {@code totalSteps}, then down to {@code maxLr / (divFactor * finalDivFactor)}.
 * Meant to step every batch (interval {@code step} in Lightning terms).
 */
public final class OneCycleLR extends LrScheduler {

    private final double maxLr;
    private final int totalSteps;
    private final double pctStart;
    private final double divFactor;
    private final double finalDivFactor;

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, 25, 1e4);
    }

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, double divFactor,
            double finalDivFactor) {
        super(optimizer);
        if (totalSteps < 2) {
            throw new IllegalArgumentException("OneCycleLR totalSteps must be >= 2, got " + totalSteps);
        }
        this.maxLr = maxLr;
        this.totalSteps = totalSteps;
        this.pctStart = pctStart;
        this.divFactor = divFactor;
        this.finalDivFactor = finalDivFactor;
        initialize();
    }

    @Override
    protected double lrAt(int step, double baseLr) {
        if (step > totalSteps) {
            throw new IllegalStateException("OneCycleLR stepped " + step + " times but totalSteps is " + totalSteps
                    + ": raise totalSteps to at least the number of training steps");
        }
        double initial = maxLr / divFactor;
        double min = initial / finalDivFactor;
        double upEnd = pctStart * totalSteps - 1;
        double downEnd = totalSteps - 1;
        if (step <= upEnd) {
            return anneal(initial, maxLr, step / upEnd);
        }
        return anneal(maxLr, min, (step - upEnd) / (downEnd - upEnd));
    }

    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }

    @Override
    protected void settings(Map<String, Object> state) {
        state.put("total_steps", totalSteps);
        state.put("max_lr", maxLr);
        state.put("pct_start", pctStart);
        state.put("div_factor", divFactor);
        state.put("final_div_factor", finalDivFactor);
    }
}
