package io.torchlight.core.internal.loops;

import java.util.List;

import io.torchlight.api.optim.Interval;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.hooks.Overrides;
import io.torchlight.core.internal.optim.AutomaticOptimization;
import io.torchlight.core.internal.optim.ManualOptimization;
import io.torchlight.core.internal.optim.Optimization;
import io.torchlight.core.internal.optim.SchedulerStepper;
import io.torchlight.core.internal.optim.StepOutputs;
import io.torchlight.utils.data.CombinedMode;
import io.torchlight.utils.data.DataLoader;

/**
 * Training epochs until a limit is reached, after the sanity check; it makes its children (the validation loop,
 * the training epoch loop) itself. The nesting, as Lightning's loops:
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
public final class FitLoop extends Loop<Void> {

    private final RunContext ctx;
    private final boolean keepOutputs;
    private final SchedulerStepper schedulers;
    private final EvaluationLoop validation;
    private List<DataLoader> valLoaders;
    private TrainingEpochLoop epochLoop;
    private boolean validates;
    private int trainLoadedAt;
    private int valLoadedAt;

    /** The fit loop of the context's module; its children are made when it runs. */
    public FitLoop(RunContext ctx) {
        this.ctx = ctx;
        this.keepOutputs = Overrides.overridden(ctx.module, "trainingEpochEnd", List.class);
        this.schedulers = new SchedulerStepper(ctx);
        this.validation = new EvaluationLoop(ctx, new ValidationHooks(ctx.hooks, ctx.view, ctx.module));
    }

    /** The sanity check (when the module validates), the training data, {@code onTrainStart}, the epoch loop. */
    @Override
    protected void onRunStart() {
        boolean validates = Overrides.overridesStep(ctx.module, "validationStep") && !ctx.limits.val().disables();
        if (validates && ctx.limits.numSanityValSteps() != 0) {
            sanityCheck(ctx.limits.numSanityValSteps());
        }
        ctx.module.train(true);
        this.validates = validates;
        DataLoader train = trainLoader();
        ctx.hooks.both(Hook.ON_TRAIN_START, c -> c.onTrainStart(ctx.view, ctx.module), ctx.module::onTrainStart);
        ctx.startClock();
        Optimization optimization = ctx.module.automaticOptimization() ? new AutomaticOptimization(ctx) : new ManualOptimization(ctx);
        epochLoop = new TrainingEpochLoop(ctx, optimization, schedulers, this::validateWhenDue);
        epochLoop.configure(train, ctx.batches().training(), validates, keepOutputs);
    }

    /** Asks for the training loader (again) and counts its batches. */
    private DataLoader trainLoader() {
        DataLoader train = Loaders.prepared(ctx, List.of(ctx.data.train()
                .withModeIfUnset(CombinedMode.parse(ctx.config.multipleTrainloaderMode())))).get(0);
        ctx.batches(ctx.batches().withTraining(ctx.limits.train().of(train.size())));
        trainLoadedAt = ctx.progress.epoch();
        return train;
    }

    /** Whether {@code reloadDataloadersEveryNEpochs} asks for a loader last asked for at epoch {@code loadedAt} again. */
    private boolean reloadDue(int loadedAt) {
        int n = ctx.config.reloadDataloadersEveryNEpochs();
        return n > 0 && ctx.progress.epoch() - loadedAt >= n;
    }

    /** {@code numSanityValSteps} validation batches (-1: all) before training, with their own hooks. */
    private void sanityCheck(int steps) {
        ctx.state.sanityChecking(true);
        ctx.hooks.callbacks(Hook.ON_SANITY_CHECK_START, c -> c.onSanityCheckStart(ctx.view, ctx.module));
        List<DataLoader> loaders = valLoaders();
        validation.configure(loaders, ctx.batches().validation().stream().map(n -> steps == -1 ? n : Math.min(n, steps)).toList(), false);
        validation.run();
        ctx.hooks.callbacks(Hook.ON_SANITY_CHECK_END, c -> c.onSanityCheckEnd(ctx.view, ctx.module));
        ctx.logging.eval().reset();
        ctx.state.sanityChecking(false);
    }

    /**
     * The validation loaders, asked for once, or again every {@code reloadDataloadersEveryNEpochs} epochs (overfitting
     * validates on the training batches).
     */
    private List<DataLoader> valLoaders() {
        if (valLoaders != null && reloadDue(valLoadedAt)) {
            valLoaders = null;
        }
        if (valLoaders == null) {
            valLoadedAt = ctx.progress.epoch();
            valLoaders = Loaders.prepared(ctx, ctx.config.overfitBatches().disables() ? ctx.data.val() : List.of(ctx.data.train()));
            ctx.batches(ctx.batches().withValidation(Loaders.limits(valLoaders, ctx.limits.val())));
        }
        return valLoaders;
    }

    /** Validation within the epoch, every {@code checkValEveryNEpoch} epochs. */
    private void validateWhenDue() {
        if ((ctx.progress.epoch() + 1) % ctx.config.checkValEveryNEpoch() != 0) {
            return;
        }
        List<DataLoader> loaders = valLoaders();
        if (!loaders.isEmpty()) {
            validation.configure(loaders, ctx.batches().validation(), true);
            validation.run();
        }
    }

    @Override
    protected void reset() {
        // the counters live in Progress, so a resumed fit continues where it was saved
    }

    @Override
    protected boolean done() {
        int maxEpochs = ctx.limits.maxEpochs();
        // like Lightning's Timer, maxTime is checked after batches: a run always trains at least one
        boolean timeUp = ctx.progress.totalBatches() > 0 && ctx.strategy.broadcast(ctx.timeUp()); // rank 0's clock decides
        if (ctx.interrupted() || ctx.stepsDone() || timeUp
                || (maxEpochs != -1 && ctx.progress.epoch() >= maxEpochs)) {
            return true;
        }
        if (ctx.allRanks(ctx.state.shouldStop())) { // Lightning's reduce_boolean_decision: every rank stops, or none
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
        if (reloadDue(trainLoadedAt)) { // as Lightning 1.6.5's FitLoop.on_advance_start, before the epoch's hooks
            epochLoop.configure(trainLoader(), ctx.batches().training(), validates, keepOutputs);
        }
        ctx.logging.train().reset();
        ctx.hooks.both(Hook.ON_EPOCH_START, c -> c.onEpochStart(ctx.view, ctx.module), ctx.module::onEpochStart);
        ctx.hooks.both(Hook.ON_TRAIN_EPOCH_START, c -> c.onTrainEpochStart(ctx.view, ctx.module), ctx.module::onTrainEpochStart);
        long start = ctx.hooks.timeStart();
        List<Object> outputs = epochLoop.run();
        ctx.hooks.timed("run_training_epoch", start);
        if (epochLoop.interruptedMidEpoch()) {
            // stopped inside the epoch: it is not over, so no epoch-end hooks; a checkpoint resumes it here
            StepOutputs.release(outputs);
            return;
        }
        try {
            if (keepOutputs) {
                int optimizers = ctx.module.automaticOptimization() ? ctx.optimization().outputsPerBatch() : 1;
                List<Object> handed = StepOutputs.perOptimizer(outputs, optimizers, ctx.module.truncatedBpttSteps() > 0);
                ctx.hooks.module(Hook.TRAINING_EPOCH_END, () -> ctx.module.trainingEpochEnd(handed));
            }
        } finally {
            StepOutputs.release(outputs);
        }
        ctx.logging.train().epochDone();
        ctx.hooks.both(Hook.ON_TRAIN_EPOCH_END, c -> c.onTrainEpochEnd(ctx.view, ctx.module), ctx.module::onTrainEpochEnd);
        ctx.hooks.both(Hook.ON_EPOCH_END, c -> c.onEpochEnd(ctx.view, ctx.module), ctx.module::onEpochEnd);
        if (epochLoop.lastBatchTrained()) { // the monitored ones, once the epoch's metrics exist, for a whole epoch
            schedulers.step(Interval.EPOCH, epoch + 1L, ctx.progress.totalBatches() - 1, false, true);
        }
        // as Lightning 1.6.5's FitLoop.on_advance_end: epoch values carry the step of the epoch's last batch
        ctx.logging.trainingEpochEnd(Math.max(0, ctx.progress.batchesThatStepped() - 1), epoch);
        ctx.progress.completeEpoch();
    }

    @Override
    protected Void onRunEnd() {
        ctx.hooks.both(Hook.ON_TRAIN_END, c -> c.onTrainEnd(ctx.view, ctx.module), ctx.module::onTrainEnd);
        return null;
    }
}
