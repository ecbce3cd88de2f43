package io.torchlight.core.internal.optim;

import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OptimizerParamGroupVector;

import io.torchlight.api.optim.LightningOptimizer;

/** A libtorch optimizer wired to the trainer: the hooks around its update, and step counting. */
public final class TrainerOptimizer implements LightningOptimizer {

    /** What the trainer does around an update. */
    public interface StepListener {
        /**
         * Right before the parameter update: gradients unscaled (mixed precision), {@code onBeforeOptimizerStep},
         * then clipping when automatic; false when the update must be skipped (gradients not finite).
         */
        boolean beforeUpdate(TrainerOptimizer optimizer, boolean automatic);

        /** Right after the parameter update, or where it was skipped. */
        void updated(TrainerOptimizer optimizer, boolean applied);
    }

    private final Optimizer optimizer;
    private final int index;
    private final StepListener listener;

    public TrainerOptimizer(Optimizer optimizer, int index, StepListener listener) {
        this.optimizer = optimizer;
        this.index = index;
        this.listener = listener;
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public void step(Runnable closure) {
        closure.run();
        if (closure instanceof StepClosure step && step.skipped()) {
            return;
        }
        update(closure instanceof StepClosure);
    }

    @Override
    public void step() {
        update(false);
    }

    private void update(boolean automatic) {
        boolean apply = listener.beforeUpdate(this, automatic);
        if (apply) {
            optimizer.step();
        }
        listener.updated(this, apply);
    }

    @Override
    public void zeroGrad() {
        optimizer.zero_grad();
    }

    @Override
    public double lr(int group) {
        try (OptimizerParamGroupVector groups = optimizer.param_groups()) {
            return groups.get(group).options().get_lr();
        }
    }

    @Override
    public int groups() {
        try (OptimizerParamGroupVector groups = optimizer.param_groups()) {
            return (int) groups.size();
        }
    }
}
