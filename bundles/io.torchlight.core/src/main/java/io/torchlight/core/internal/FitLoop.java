package io.torchlight.core.internal;

import java.util.List;

import io.torchlight.api.optim.Interval;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.optim.StepOutputs;

/**
 * Training epochs until a limit is reached. The nesting, as Lightning's loops:
 *
 * <pre>
 * fit loop (an epoch per advance)
 *   onEpochStart, onTrainEpochStart
 *   training epoch loop (a batch per advance)
 *     transfer trio, onTrainBatchStart
 *     optimization: optimizerStep(closure = trainingStep, zeroGrad, backward), then the update
 *     onTrainBatchEnd
 *     evaluation loop (validation) when due
 *   trainingEpochEnd(outputs), onTrainEpochEnd (callbacks, then module), epoch schedulers, onEpochEnd
 * </pre>
 *
 * Stops at maxEpochs, maxSteps, maxTime, a stop command, or a {@code shouldStop} request once minEpochs
 * and minSteps are met.
 */
final class FitLoop extends Loop<Void> {

    private final RunContext ctx;
    private final TrainingEpochLoop epochLoop;
    private final SchedulerStepper schedulers;
    private final boolean keepOutputs;

    FitLoop(RunContext ctx, TrainingEpochLoop epochLoop, SchedulerStepper schedulers, boolean keepOutputs) {
        this.ctx = ctx;
        this.epochLoop = epochLoop;
        this.schedulers = schedulers;
        this.keepOutputs = keepOutputs;
    }

    @Override
    protected void reset() {
        // the counters live in Progress, so a resumed fit continues where it was saved
    }

    @Override
    protected boolean done() {
        int maxEpochs = ctx.limits.maxEpochs();
        // like Lightning's Timer, maxTime is checked after batches: a run always trains at least one
        boolean timeUp = ctx.progress.totalBatches() > 0 && ctx.timeUp();
        if (ctx.state.interrupted() || ctx.stepsDone() || timeUp
                || (maxEpochs != -1 && ctx.progress.epoch() >= maxEpochs)) {
            return true;
        }
        if (ctx.state.shouldStop()) {
            if (ctx.progress.epoch() >= ctx.config.minEpochs() && ctx.progress.optimizerSteps() >= ctx.config.minSteps()) {
                return true;
            }
            ctx.state.shouldStop(false);
        }
        return false;
    }

    @Override
    protected void advance() {
        int epoch = ctx.progress.epoch();
        ctx.logging.train().reset();
        ctx.hooks.both(Hook.ON_EPOCH_START, c -> c.onEpochStart(ctx.view, ctx.module), ctx.module::onEpochStart);
        ctx.hooks.both(Hook.ON_TRAIN_EPOCH_START, c -> c.onTrainEpochStart(ctx.view, ctx.module), ctx.module::onTrainEpochStart);
        List<Object> outputs = epochLoop.run();
        if (epochLoop.interruptedMidEpoch()) {
            // stopped inside the epoch: it is not over, so no epoch-end hooks; a checkpoint resumes it here
            StepOutputs.release(outputs);
            return;
        }
        try {
            if (keepOutputs) {
                ctx.hooks.module(Hook.TRAINING_EPOCH_END, () -> ctx.module.trainingEpochEnd(outputs));
            }
        } finally {
            StepOutputs.release(outputs);
        }
        ctx.logging.train().epochDone();
        ctx.hooks.both(Hook.ON_TRAIN_EPOCH_END, c -> c.onTrainEpochEnd(ctx.view, ctx.module), ctx.module::onTrainEpochEnd);
        ctx.logging.trainingEpochEnd(ctx.progress.optimizerSteps(), epoch);
        schedulers.step(Interval.EPOCH, epoch + 1L);
        ctx.hooks.both(Hook.ON_EPOCH_END, c -> c.onEpochEnd(ctx.view, ctx.module), ctx.module::onEpochEnd);
        ctx.progress.completeEpoch();
    }

    @Override
    protected Void onRunEnd() {
        return null;
    }
}
