package io.torchlight.core.internal.optim;

import org.bytedeco.pytorch.LBFGS;
import org.bytedeco.pytorch.LossClosure;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.Tensor;

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
        if (closure instanceof StepClosure trainer && optimizer instanceof LBFGS) {
            stepEvaluating(trainer);
            return;
        }
        closure.run();
        if (closure instanceof StepClosure step && step.skipped()) {
            return;
        }
        update(closure instanceof StepClosure);
    }

    /**
     * LBFGS evaluates the closure itself, several times per step, as PyTorch's {@code optimizer.step(closure)}: every
     * evaluation runs the training step, zero-grad and backward, then {@code onBeforeOptimizerStep} and clipping (as
     * Lightning's precision plug-in does after each closure call).
     */
    private void stepEvaluating(StepClosure trainer) {
        TrainerOptimizer self = this;
        try (LossClosure evaluate = new LossClosure() {
            @Override
            public Tensor call() {
                Tensor loss = trainer.reevaluate();
                listener.beforeUpdate(self, true);
                return loss;
            }
        }) {
            optimizer.step(evaluate);
        }
        listener.updated(this, true);
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
