package io.torchlight.utils.optim;

import java.util.Map;

import org.bytedeco.pytorch.Optimizer;

/** Anneals the rate from its initial value to {@code etaMin} along a half cosine over {@code tMax} steps. */
public final class CosineAnnealingLR extends LrScheduler {

    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR tMax must be >= 1, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialize();
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }

    @Override
    protected void settings(Map<String, Object> state) {
        state.put("T_max", tMax);
        state.put("eta_min", etaMin);
    }
}
