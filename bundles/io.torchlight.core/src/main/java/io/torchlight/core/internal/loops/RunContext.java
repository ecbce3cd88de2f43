package io.torchlight.core.internal.loops;

import java.util.function.Consumer;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.LightningModule;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerView;
import io.torchlight.api.strategy.ReduceOp;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.logging.LoggerConnector;
import io.torchlight.core.internal.logging.Warnings;
import io.torchlight.core.internal.optim.FitOptimizers;
import io.torchlight.core.internal.optim.TrainerOptimizer;
import io.torchlight.core.internal.precision.PrecisionPlugin;
import io.torchlight.utils.data.Batch;

/**
 * Everything one run shares between its loops: the module, the trainer view, dispatch, plug-ins, data,
 * counters, optimizers. Also what the optimizers report their updates to.
 */
public final class RunContext implements TrainerOptimizer.StepListener {

    public final TrainerView view;
    final RunLimits limits;
    public final LightningModule module;
    public final TrainerConfig config;
    public final Hooks hooks;
    final RunState state;
    public final Strategy strategy;
    public final LoggerConnector logging;
    public final Progress progress;
    public final DataSources data;
    public final PrecisionPlugin precision;
    public final Warnings warnings;
    private final Consumer<RunContext> atStepBoundary;
    private long startNanos = System.nanoTime();
    private volatile FitOptimizers optimization = FitOptimizers.NONE;
    private volatile BatchCounts batches = BatchCounts.NONE;

    public RunContext(TrainerView view, LightningModule module, TrainerConfig config, RunLimits limits, Hooks hooks, RunState state, Strategy strategy,
            LoggerConnector logging, Progress progress, DataSources data, PrecisionPlugin precision, Warnings warnings,
            Consumer<RunContext> atStepBoundary) {
        this.warnings = warnings;
        this.atStepBoundary = atStepBoundary;
        this.precision = precision;
        this.view = view;
        this.limits = limits;
        this.module = module;
        this.config = config;
        this.hooks = hooks;
        this.state = state;
        this.strategy = strategy;
        this.logging = logging;
        this.progress = progress;
        this.data = data;
    }

    public String moduleName() {
        return module.getClass().getName();
    }

    /** The transfer trio: {@code onBeforeBatchTransfer}, {@code transferBatchToDevice}, {@code onAfterBatchTransfer}. */
    Batch transfer(Batch raw, int dataloaderIdx) {
        Batch before = hooks.module(Hook.ON_BEFORE_BATCH_TRANSFER, () -> module.onBeforeBatchTransfer(raw, dataloaderIdx));
        Batch moved = hooks.module(Hook.TRANSFER_BATCH_TO_DEVICE,
                () -> module.transferBatchToDevice(before, strategy.rootDevice(), dataloaderIdx));
        Batch after = hooks.module(Hook.ON_AFTER_BATCH_TRANSFER, () -> module.onAfterBatchTransfer(moved, dataloaderIdx));
        return precision.batch(after);
    }

    /** The fit's optimizers and schedulers ({@link FitOptimizers#NONE} until configured). */
    public FitOptimizers optimization() {
        return optimization;
    }

    /** Set once per fit, after {@code configureOptimizers}. */
    void optimization(FitOptimizers value) {
        optimization = value;
    }

    /** The fit's batch counts ({@link BatchCounts#NONE} until the fit loop counted them). */
    public BatchCounts batches() {
        return batches;
    }

    void batches(BatchCounts value) {
        batches = value;
    }

    /** Between training batches, on the training thread: plug-ins that came or went join or leave here. */
    void stepBoundary() {
        atStepBoundary.accept(this);
    }

    /** Whether every process decided so (one process: its own decision). */
    boolean allRanks(boolean decision) {
        int world = strategy.worldSize();
        if (world == 1) {
            return decision;
        }
        Tensor votes = strategy.reduce(torch.tensor(decision ? 1.0 : 0.0), ReduceOp.SUM);
        return votes.item_double() == world;
    }

    /** Starts the maxTime clock (when training starts, as Lightning's Timer). */
    void startClock() {
        startNanos = System.nanoTime();
    }

    /**
     * At a training batch boundary: whether to stop here, for a stop request or maxTime, every rank at the same batch
     * (one process: at once; several: rank 0's reasons, as {@code Strategy.stopReasons} delivers them).
     */
    boolean stopAtBoundary() {
        int mine = (state.interrupted() ? Strategy.STOP_REQUESTED : 0) | (timeUp() ? Strategy.TIME_UP : 0);
        int agreed = strategy.stopReasons(mine);
        state.agreed(agreed);
        return agreed != 0;
    }

    /** Whether a stop request ends the stage: with one process its own, with several one every rank agreed to. */
    boolean interrupted() {
        return strategy.worldSize() == 1 ? state.interrupted() : (state.agreed() & Strategy.STOP_REQUESTED) != 0;
    }

    /** Whether maxTime has passed, by this process's clock (with several processes: rank 0's, as agreed). */
    boolean timeUpAgreed() {
        return strategy.worldSize() == 1 ? timeUp() : (state.agreed() & Strategy.TIME_UP) != 0;
    }

    /** Whether maxTime has passed. */
    boolean timeUp() {
        return config.maxTime().map(t -> System.nanoTime() - startNanos >= t.toNanos()).orElse(false);
    }

    /** Whether maxSteps has been reached. */
    boolean stepsDone() {
        return limits.maxSteps() != -1 && progress.optimizerSteps() >= limits.maxSteps();
    }

    @Override
    public boolean beforeUpdate(TrainerOptimizer optimizer, boolean automatic) {
        boolean finite = precision.unscale(optimizer.optimizer());
        hooks.callbacks(Hook.ON_BEFORE_OPTIMIZER_STEP, c -> c.onBeforeOptimizerStep(view, module, optimizer, optimizer.index()));
        hooks.module(Hook.ON_BEFORE_OPTIMIZER_STEP, () -> module.onBeforeOptimizerStep(optimizer, optimizer.index()));
        if (optimizer.index() == 0 && config.trackGradNorm() != -1 && logging.logsAfter(progress.batchesThatStepped())) {
            GradNorms.log(this, config.trackGradNorm());
        }
        if (automatic) {
            hooks.module(Hook.CONFIGURE_GRADIENT_CLIPPING, () -> module.configureGradientClipping(optimizer, optimizer.index(),
                    config.gradientClipVal().isPresent() ? config.gradientClipVal().getAsDouble() : null, config.gradientClipAlgorithm()));
        }
        return finite;
    }

    @Override
    public void updated(TrainerOptimizer optimizer, boolean applied) {
        precision.updated(applied);
        progress.optimizerStepped();
    }
}
