package io.torchlight.core.internal.optim;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.TorchlightException;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.loops.RunContext;
import io.torchlight.utils.data.Batch;

/**
 * Lightning's automatic optimization. Per optimizer: {@code optimizerStep(closure)} is entered first and
 * runs the closure (training step, step end, zero-grad when a window starts, backward), then the update.
 * With {@code accumulateGradBatches = k} the loss is divided by k, gradients are zeroed on the first batch
 * of each window, and the update happens on the window's last batch and on the epoch's last batch;
 * within a window the closure runs without an update.
 */
public final class AutomaticOptimization implements Optimization {

    private final RunContext ctx;

    public AutomaticOptimization(RunContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Object run(Batch batch, int batchIdx, boolean lastBatchOfEpoch) {
        return runSplit(batch, batchIdx, lastBatchOfEpoch, NO_SPLIT);
    }

    /** Marks a whole batch (no truncated back-propagation). */
    private static final Object NO_SPLIT = new Object();

    @Override
    public Object runSplit(Batch batch, int batchIdx, boolean lastBatchOfEpoch, Object hiddens) {
        int k = ctx.config.accumulation(ctx.progress.epoch());
        boolean zeroGrad = k == 1 || batchIdx % k == 0;
        boolean update = (batchIdx + 1) % k == 0 || lastBatchOfEpoch;
        // with several optimizers the step receives the optimizer index, even when frequencies alternate them
        boolean several = ctx.optimization().optimizers().size() > 1;
        List<Object> outputs = new ArrayList<>();
        for (TrainerOptimizer optimizer : ctx.optimization().active(batchIdx)) {
            if (several) {
                ctx.module.toggleOptimizer(optimizer);
            }
            StepClosure closure = new StepClosure(ctx.moduleName(), () -> step(batch, batchIdx, optimizer, several, zeroGrad, k, hiddens));
            if (update) {
                int epoch = ctx.progress.epoch();
                ctx.hooks.module(Hook.OPTIMIZER_STEP,
                        () -> ctx.module.optimizerStep(epoch, batchIdx, optimizer, optimizer.index(), closure));
                if (!closure.ran()) {
                    throw new TorchlightException(ctx.moduleName() + ".optimizerStep did not run the closure: "
                            + "call optimizer.step(closure) (or closure.run()) in it");
                }
            } else {
                closure.run();
            }
            if (several) {
                ctx.module.untoggleOptimizer();
            }
            outputs.add(closure.output());
        }
        return outputs.size() > 1 ? outputs : outputs.get(0);
    }

    private StepClosure.Result step(Batch batch, int batchIdx, TrainerOptimizer optimizer, boolean several,
            boolean zeroGrad, int k, Object hiddens) {
        Object output = ctx.precision.step(() -> ctx.hooks.module(Hook.TRAINING_STEP, () -> hiddens != NO_SPLIT
                ? ctx.module.trainingStep(batch, batchIdx, optimizer.index(), hiddens)
                : several ? ctx.module.trainingStep(batch, batchIdx, optimizer.index()) : ctx.module.trainingStep(batch, batchIdx)));
        Object end = ctx.hooks.module(Hook.TRAINING_STEP_END, () -> ctx.module.trainingStepEnd(output));
        Tensor loss = StepOutputs.loss(end, ctx.moduleName(), "trainingStep");
        if (loss == null) {
            return new StepClosure.Result(end, null);
        }
        if (ctx.config.detectAnomaly()) {
            requireFinite(loss, batchIdx);
        }
        if (zeroGrad) {
            ctx.hooks.callbacks(Hook.ON_BEFORE_ZERO_GRAD, c -> c.onBeforeZeroGrad(ctx.view, ctx.module, optimizer));
            ctx.hooks.module(Hook.ON_BEFORE_ZERO_GRAD, () -> ctx.module.onBeforeZeroGrad(optimizer));
            int epoch = ctx.progress.epoch();
            ctx.hooks.module(Hook.OPTIMIZER_ZERO_GRAD,
                    () -> ctx.module.optimizerZeroGrad(epoch, batchIdx, optimizer, optimizer.index()));
        }
        Tensor closureLoss = k > 1 ? loss.div(new Scalar((double) k)) : loss;
        Backward.run(ctx, closureLoss, optimizer);
        return new StepClosure.Result(end, closureLoss);
    }

    private void requireFinite(Tensor loss, int batchIdx) {
        double value = loss.item_double();
        if (!Double.isFinite(value)) {
            throw new TorchlightException(ctx.moduleName() + ".trainingStep returned a non-finite loss (" + value
                    + ") at epoch " + ctx.progress.epoch() + ", batch " + batchIdx + " (detectAnomaly=true)");
        }
    }
}
