package io.torchlight.core.internal.optim;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.loops.RunContext;

/** Back-propagation with its hooks: {@code onBeforeBackward}, {@code backward}, {@code onAfterBackward}. */
public final class Backward {

    private Backward() {
    }

    public static void run(RunContext ctx, Tensor loss, TrainerOptimizer optimizer) {
        int index = optimizer == null ? 0 : optimizer.index();
        ctx.hooks.callbacks(Hook.ON_BEFORE_BACKWARD, c -> c.onBeforeBackward(ctx.view, ctx.module, loss));
        ctx.hooks.module(Hook.ON_BEFORE_BACKWARD, () -> ctx.module.onBeforeBackward(loss));
        Tensor scaled = ctx.precision.backwardLoss(loss);
        ctx.hooks.module(Hook.BACKWARD, () -> ctx.module.backward(scaled, optimizer, index));
        ctx.strategy.postBackward(ctx.module); // DDP averages the gradients here, before onAfterBackward sees them
        ctx.hooks.callbacks(Hook.ON_AFTER_BACKWARD, c -> c.onAfterBackward(ctx.view, ctx.module));
        ctx.hooks.module(Hook.ON_AFTER_BACKWARD, ctx.module::onAfterBackward);
    }
}
