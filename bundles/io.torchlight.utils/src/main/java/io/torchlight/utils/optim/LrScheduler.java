package io.torchlight.utils.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OptimizerParamGroupVector;

/**
 * A learning-rate scheduler, like {@code torch.optim.lr_scheduler}: each {@link #step()} advances its
 * counter and sets every parameter group's learning rate from a closed form of the counter and the
 * group's initial rate. Creating one applies the rate of step 0.
 */
public abstract class LrScheduler {

    private final Optimizer optimizer;
    private final List<Double> baseLrs = new ArrayList<>();
    private int lastEpoch;

    protected LrScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        try (OptimizerParamGroupVector groups = optimizer.param_groups()) {
            for (long g = 0; g < groups.size(); g++) {
                baseLrs.add(groups.get(g).options().get_lr());
            }
        }
    }

    /** Applies the learning rate of step 0; subclasses call it at the end of their constructor. */
    protected final void initialize() {
        apply();
    }

    /** The learning rate of a group at counter {@code epoch}, from the group's initial rate. */
    protected abstract double lrAt(int epoch, double baseLr);

    /** Advances the counter and sets the new learning rates. */
    public void step() {
        lastEpoch++;
        apply();
    }

    /** Advances with a monitored value; only {@link ReduceLROnPlateau} uses it. */
    public void step(double metric) {
        step();
    }

    /** Whether this scheduler needs a monitored metric. */
    public boolean needsMetric() {
        return false;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The learning rate of every group, as last set. */
    public List<Double> lastLr() {
        List<Double> lrs = new ArrayList<>();
        try (OptimizerParamGroupVector groups = optimizer.param_groups()) {
            for (long g = 0; g < groups.size(); g++) {
                lrs.add(groups.get(g).options().get_lr());
            }
        }
        return lrs;
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    protected List<Double> baseLrs() {
        return baseLrs;
    }

    /**
     * The scheduler's state as PyTorch's {@code scheduler.state_dict()} holds it, so Python's
     * {@code load_state_dict} takes it: the subclass's settings under PyTorch's names ({@link #settings}), then
     * {@code base_lrs}, {@code last_epoch}, {@code _step_count}, {@code _last_lr} and PyTorch's bookkeeping flags.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> state = new LinkedHashMap<>();
        settings(state);
        state.put("base_lrs", new ArrayList<>(baseLrs));
        state.put("last_epoch", lastEpoch);
        state.put("verbose", false);
        state.put("_step_count", lastEpoch + 1);
        state.put("_get_lr_called_within_step", false);
        state.put("_last_lr", lastLr());
        return state;
    }

    /** Puts the scheduler's own settings under the names PyTorch's scheduler of the same kind uses. */
    protected void settings(Map<String, Object> state) {
    }

    /** Restores {@link #stateDict()} and re-applies the rates it implies. */
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> state) {
        lastEpoch = ((Number) state.get("last_epoch")).intValue();
        baseLrs.clear();
        for (Object lr : (List<Object>) state.get("base_lrs")) {
            baseLrs.add(((Number) lr).doubleValue());
        }
        apply();
    }

    protected void setLr(int group, double lr) {
        try (OptimizerParamGroupVector groups = optimizer.param_groups()) {
            groups.get(group).options().set_lr(lr);
        }
    }

    private void apply() {
        for (int g = 0; g < baseLrs.size(); g++) {
            setLr(g, lrAt(lastEpoch, baseLrs.get(g)));
        }
    }
}
