package io.torchlight.core.internal.loops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.optim.Interval;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.optim.Optimization;
import io.torchlight.core.internal.optim.SchedulerStepper;
import io.torchlight.core.internal.optim.StepOutputs;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * One training epoch, a batch per advance: transfer trio, {@code onTrainBatchStart} (-1 ends the epoch),
 * optimization, step schedulers, {@code onTrainBatchEnd}, step logging, then validation when its
 * interval is due. Each batch runs inside its own {@link PointerScope}, so every temporary tensor of the
 * step is freed when it ends and native memory stays flat; what outlives the step is retained explicitly.
 */
public final class TrainingEpochLoop extends Loop<List<Object>> {

    private final RunContext ctx;
    private final Optimization optimization;
    private final SchedulerStepper schedulers;
    private final Runnable validation;
    private DataLoader loader;
    private int total;
    private int valEvery;
    private boolean validate;
    private boolean keepOutputs;
    private DataLoader.BatchIterator batches;
    private int batchIdx;
    private boolean stop;
    /** Whether the batch just trained ended an accumulation window (its step counts for the loggers). */
    private boolean windowEnded;
    /** Whether the epoch's last batch was trained (Lightning's {@code _num_ready_batches_reached}). */
    private boolean lastBatchTrained;
    private List<Object> outputs;

    TrainingEpochLoop(RunContext ctx, Optimization optimization, SchedulerStepper schedulers, Runnable validation) {
        this.ctx = ctx;
        this.optimization = optimization;
        this.schedulers = schedulers;
        this.validation = validation;
    }

    /** Sets the data and validation plan of the coming epochs. */
    void configure(DataLoader loader, int total, boolean validate, boolean keepOutputs) {
        this.loader = loader;
        this.total = total;
        this.validate = validate;
        this.keepOutputs = keepOutputs;
        Limit interval = ctx.limits.valCheckInterval();
        if (interval.isCount()) {
            valEvery = (int) interval.value();
            if (validate && valEvery > total) {
                throw new TorchlightException("valCheckInterval (" + valEvery + ") must be <= the number of training batches ("
                        + total + "), or a fraction of the epoch such as 0.25");
            }
        } else {
            valEvery = Math.max(1, (int) Math.floor(total * interval.value()));
        }
    }

    @Override
    protected void reset() {
        if (ctx.config.overfitBatches().disables()) {
            loader.setEpoch(ctx.progress.epoch());
        }
        batches = loader.iterator(ctx.progress.batchesProcessedInEpoch());
        batchIdx = ctx.progress.batchesProcessedInEpoch();
        stop = false;
        windowEnded = false;
        lastBatchTrained = false;
        outputs = new ArrayList<>();
    }

    @Override
    protected boolean done() {
        return stop || ctx.interrupted() || batchIdx >= total || !batches.hasNext();
    }

    @Override
    protected void advance() {
        long start = ctx.hooks.timeStart();
        boolean validateNow = trainOneBatch();
        ctx.hooks.timed("run_training_batch", start);
        if (validateNow) {
            // outside the batch's scope: validation may create loaders and tensors that must outlive a step
            validation.run();
        }
        if (windowEnded) {
            ctx.progress.batchStepped();
        }
    }

    /** Trains the next batch; returns whether validation is due after it. */
    private boolean trainOneBatch() {
        ctx.stepBoundary();
        // every tensor this batch creates (and the batch itself) is freed when the scope closes
        try (PointerScope scope = new PointerScope()) {
            int idx = batchIdx;
            Batch raw = batches.next();
            ctx.progress.batchStarted();
            Batch batch = ctx.transfer(raw, 0);
            ctx.state.batch(batch);
            ctx.hooks.callbacks(Hook.ON_BATCH_START, c -> c.onBatchStart(ctx.view, ctx.module));
            ctx.hooks.callbacks(Hook.ON_TRAIN_BATCH_START, c -> c.onTrainBatchStart(ctx.view, ctx.module, batch, idx));
            int signal = ctx.hooks.module(Hook.ON_TRAIN_BATCH_START, () -> ctx.module.onTrainBatchStart(batch, idx));
            if (signal == -1) {
                stop = true;
                return false;
            }
            long stepsBefore = ctx.progress.optimizerSteps();
            boolean last = idx == total - 1;
            Object output = ctx.module.truncatedBpttSteps() > 0 ? runSplits(batch, idx, last) : optimization.run(batch, idx, last);
            boolean stepped = ctx.progress.optimizerSteps() > stepsBefore;
            if (stepped) {
                schedulers.step(Interval.STEP, idx + 1L, ctx.progress.totalBatches());
            }
            lastBatchTrained |= last;
            if (last) { // the epoch's last batch: epoch schedulers without a monitor step here, as in Lightning 1.6.5
                schedulers.step(Interval.EPOCH, ctx.progress.epoch() + 1L, ctx.progress.totalBatches(), true, false);
            }
            ctx.progress.batchProcessed();
            ctx.hooks.callbacks(Hook.ON_TRAIN_BATCH_END, c -> c.onTrainBatchEnd(ctx.view, ctx.module, output, batch, idx));
            ctx.hooks.module(Hook.ON_TRAIN_BATCH_END, () -> ctx.module.onTrainBatchEnd(output, batch, idx));
            ctx.hooks.callbacks(Hook.ON_BATCH_END, c -> c.onBatchEnd(ctx.view, ctx.module));
            ctx.progress.batchCompleted();
            // Lightning 1.6.5 logs step metrics only where an accumulation window ends (manual optimization never
            // accumulates), at the step counted before this batch: rows land at steps 49, 99, ... for every 50
            windowEnded = !ctx.module.automaticOptimization() || (idx + 1) % ctx.config.accumulation(ctx.progress.epoch()) == 0 || last;
            if (windowEnded) {
                ctx.logging.afterTrainingBatch(ctx.progress.batchesThatStepped(), ctx.state.shouldStop(), ctx.progress.epoch());
            }
            if (keepOutputs && output != null) {
                outputs.add(StepOutputs.keep(output));
            }
            batchIdx++;
            stop = ctx.stopAtBoundary() || ctx.stepsDone();
            return validate && (last || stop || batchIdx % valEvery == 0);
        } finally {
            ctx.state.batch(null); // its tensors are freed with the scope
        }
    }

    /** Truncated back-propagation through time: one optimization per time split, hidden state carried along. */
    private Object runSplits(Batch batch, int idx, boolean last) {
        int steps = ctx.module.truncatedBpttSteps();
        List<Batch> splits = ctx.hooks.module(Hook.TBPTT_SPLIT_BATCH, () -> ctx.module.tbpttSplitBatch(batch, steps));
        List<Object> outputs = new ArrayList<>();
        Object hiddens = null;
        for (Batch split : splits) {
            Object output = optimization.runSplit(split, idx, last, hiddens);
            outputs.add(output);
            Object next = output instanceof Map<?, ?> map ? map.get("hiddens") : null;
            hiddens = detached(next);
        }
        return outputs;
    }

    /** The hidden state for the next split, cut from this split's graph: tensors, also inside lists and maps (an LSTM's (h, c)). */
    private static Object detached(Object hiddens) {
        if (hiddens instanceof Tensor t) {
            return t.detach();
        }
        if (hiddens instanceof List<?> list) {
            return list.stream().map(TrainingEpochLoop::detached).toList();
        }
        if (hiddens instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, detached(v)));
            return out;
        }
        return hiddens;
    }

    @Override
    protected List<Object> onRunEnd() {
        return outputs;
    }

    @Override
    protected void cleanup() {
        batches.close();
    }

    /** Whether the last run trained the epoch's last batch (not cut short by maxSteps, maxTime or a stop). */
    boolean lastBatchTrained() {
        return lastBatchTrained;
    }

    /** Whether the last run ended short of its epoch because of a stop request (the epoch is not over). */
    boolean interruptedMidEpoch() {
        return ctx.interrupted() && batchIdx < total && !limitReached();
    }

    private boolean limitReached() {
        return ctx.stepsDone() || ctx.timeUpAgreed();
    }
}
