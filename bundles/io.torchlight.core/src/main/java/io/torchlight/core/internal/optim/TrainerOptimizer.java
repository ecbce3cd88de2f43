package io.torchlight.core.internal.optim;

import java.util.Set;

import org.bytedeco.pytorch.Adagrad;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.LBFGS;
import org.bytedeco.pytorch.LossClosure;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.RMSprop;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.utils.optim.OptimizerParameters;

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

    /** The libtorch optimizers whose {@code step(closure)} evaluates the closure once, then updates. */
    private static final Set<Class<?>> ONCE_THEN_UPDATE = Set.of(SGD.class, Adam.class, AdamW.class, RMSprop.class, Adagrad.class);

    private final Optimizer optimizer;
    private final int index;
    private final StepListener listener;
    /** Whether {@link #step(Runnable)} may run the closure here and then update (decided once: it runs every step). */
    private final boolean onceThenUpdate;

    public TrainerOptimizer(Optimizer optimizer, int index, StepListener listener) {
        this.optimizer = optimizer;
        this.onceThenUpdate = !(optimizer instanceof LBFGS) && ONCE_THEN_UPDATE.contains(optimizer.getClass());
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
        if (closure instanceof StepClosure trainer && onceThenUpdate) {
            // libtorch's own step(closure) for these evaluates the closure once, then updates: the same, done here
            // without a native call back into Java
            trainer.run();
            if (!trainer.skipped()) {
                update(true);
            }
            return;
        }
        if (closure instanceof StepClosure trainer) {
            stepThroughOptimizer(trainer);
            return;
        }
        closure.run();
        update(false);
    }

    /**
     * PyTorch's {@code optimizer.step(closure)}: the optimizer's own step is entered first and evaluates the closure
     * (LBFGS several times; a user's subclass of a libtorch optimizer sees its {@code step} called before the training
     * step, as Lightning's test_train_loop_system records). Every evaluation runs the training step, zero-grad and
     * backward, then {@code onBeforeOptimizerStep} and clipping (as Lightning's precision plug-in does after each
     * closure call). Where the update must not happen (no loss, gradients not finite) the gradients are cleared, so
     * the optimizer finds none and leaves every parameter as it is; an error in the closure is rethrown after the step.
     */
    private void stepThroughOptimizer(StepClosure trainer) {
        TrainerOptimizer self = this;
        boolean lbfgs = optimizer instanceof LBFGS;
        boolean[] applied = {false};
        Throwable[] failure = {null};
        try (LossClosure evaluate = new LossClosure() {
            @Override
            public Tensor call() {
                try {
                    Tensor loss = lbfgs ? trainer.reevaluate() : trainer.evaluate();
                    applied[0] = loss != null && listener.beforeUpdate(self, true);
                    if (!applied[0]) {
                        clearGradients();
                    }
                    return loss != null ? loss : new Tensor();
                } catch (RuntimeException | Error e) {
                    failure[0] = e;
                    clearGradients();
                    return new Tensor();
                }
            }
        }) {
            optimizer.step(evaluate);
        } catch (RuntimeException e) {
            if (failure[0] == null) {
                throw e;
            }
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        listener.updated(this, applied[0]);
    }

    private void clearGradients() {
        for (Tensor p : OptimizerParameters.of(optimizer)) {
            p.mutable_grad().reset();
        }
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
