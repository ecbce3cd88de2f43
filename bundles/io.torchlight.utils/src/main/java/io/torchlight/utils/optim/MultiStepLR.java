package io.torchlight.utils.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Optimizer;

/** Multiplies the rate by {@code gamma} at each milestone. */
public final class MultiStepLR extends LrScheduler {

    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialize();
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        int passed = 0;
        for (int m : milestones) {
            if (m <= epoch) {
                passed++;
            }
        }
        return baseLr * Math.pow(gamma, passed);
    }

    @Override
    protected void settings(Map<String, Object> state) {
        Map<Integer, Integer> counts = new LinkedHashMap<>(); // PyTorch keeps a Counter of milestones
        for (int m : milestones) {
            counts.merge(m, 1, Integer::sum);
        }
        state.put("milestones", counts);
        state.put("gamma", gamma);
    }
}
