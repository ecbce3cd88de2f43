package io.torchlight.utils.optim;

import java.util.Map;

import org.bytedeco.pytorch.Optimizer;

/** Multiplies the rate by {@code gamma} every step. */
public final class ExponentialLR extends LrScheduler {

    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialize();
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        return baseLr * Math.pow(gamma, epoch);
    }

    @Override
    protected void settings(Map<String, Object> state) {
        state.put("gamma", gamma);
    }
}
