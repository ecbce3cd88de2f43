package io.torchlight.utils.optim;

import java.util.Map;

import org.bytedeco.pytorch.Optimizer;

/** Multiplies the rate by {@code gamma} every {@code stepSize} steps. */
public final class StepLR extends LrScheduler {

    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR stepSize must be >= 1, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialize();
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        return baseLr * Math.pow(gamma, epoch / stepSize);
    }

    @Override
    protected void settings(Map<String, Object> state) {
        state.put("step_size", stepSize);
        state.put("gamma", gamma);
    }
}
