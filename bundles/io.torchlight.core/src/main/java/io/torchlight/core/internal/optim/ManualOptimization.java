package io.torchlight.core.internal.optim;

import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.loops.RunContext;
import io.torchlight.utils.data.Batch;

/**
 * Manual optimization ({@code automaticOptimization(false)}): the trainer only calls the training step;
 * the step uses {@code optimizers()}, {@code manualBackward} and {@code optimizer.step()} itself.
 */
public final class ManualOptimization implements Optimization {

    private final RunContext ctx;

    public ManualOptimization(RunContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Object run(Batch batch, int batchIdx, boolean lastBatchOfEpoch) {
        Object output = ctx.precision.step(() -> ctx.hooks.module(Hook.TRAINING_STEP, () -> ctx.module.trainingStep(batch, batchIdx)));
        return ctx.hooks.module(Hook.TRAINING_STEP_END, () -> ctx.module.trainingStepEnd(output));
    }

    @Override
    public Object runSplit(Batch split, int batchIdx, boolean lastBatchOfEpoch, Object hiddens) {
        Object output = ctx.precision.step(
                () -> ctx.hooks.module(Hook.TRAINING_STEP, () -> ctx.module.trainingStep(split, batchIdx, 0, hiddens)));
        return ctx.hooks.module(Hook.TRAINING_STEP_END, () -> ctx.module.trainingStepEnd(output));
    }
}
