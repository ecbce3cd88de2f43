package io.torchlight.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Options of {@link LightningModule#log}, as Lightning's keyword arguments. Unset {@code onStep} and
 * {@code onEpoch} take the defaults of the hook that logs: training step hooks log per step, everything
 * else per epoch.
 */
@ProviderType
public final class LogOptions {

    /** All defaults. */
    public static final LogOptions DEFAULT = new LogOptions(null, null, false, true, ReduceFx.MEAN, false, null, true, false);

    private final Boolean onStep;
    private final Boolean onEpoch;
    private final boolean progBar;
    private final boolean logger;
    private final ReduceFx reduceFx;
    private final boolean syncDist;
    private final Integer batchSize;
    private final boolean addDataloaderIdx;
    private final boolean rankZeroOnly;

    private LogOptions(Boolean onStep, Boolean onEpoch, boolean progBar, boolean logger, ReduceFx reduceFx,
            boolean syncDist, Integer batchSize, boolean addDataloaderIdx, boolean rankZeroOnly) {
        this.onStep = onStep;
        this.onEpoch = onEpoch;
        this.progBar = progBar;
        this.logger = logger;
        this.reduceFx = reduceFx;
        this.syncDist = syncDist;
        this.batchSize = batchSize;
        this.addDataloaderIdx = addDataloaderIdx;
        this.rankZeroOnly = rankZeroOnly;
    }

    /** Starts from the defaults. */
    public static LogOptions defaults() {
        return DEFAULT;
    }

    /** Log the value of every step as {@code name} (or {@code name_step} when also per epoch). */
    public LogOptions onStep(boolean value) {
        return new LogOptions(value, onEpoch, progBar, logger, reduceFx, syncDist, batchSize, addDataloaderIdx, rankZeroOnly);
    }

    /** Log the epoch's reduction as {@code name} (or {@code name_epoch} when also per step). */
    public LogOptions onEpoch(boolean value) {
        return new LogOptions(onStep, value, progBar, logger, reduceFx, syncDist, batchSize, addDataloaderIdx, rankZeroOnly);
    }

    /** Show the metric in the progress bar. */
    public LogOptions progBar(boolean value) {
        return new LogOptions(onStep, onEpoch, value, logger, reduceFx, syncDist, batchSize, addDataloaderIdx, rankZeroOnly);
    }

    /** Send the metric to the loggers (default true). */
    public LogOptions logger(boolean value) {
        return new LogOptions(onStep, onEpoch, progBar, value, reduceFx, syncDist, batchSize, addDataloaderIdx, rankZeroOnly);
    }

    /** How the epoch value is reduced (default mean weighted by batch size). */
    public LogOptions reduceFx(ReduceFx value) {
        return new LogOptions(onStep, onEpoch, progBar, logger, Objects.requireNonNull(value), syncDist, batchSize, addDataloaderIdx, rankZeroOnly);
    }

    /**
     * Reduce the step value across processes through the strategy, with the metric's own reduction (Lightning's
     * {@code sync_dist}); epoch values are reduced across processes anyway, means as sums of values and batch sizes,
     * unless {@link #rankZeroOnly(boolean)}. One process reduces nothing.
     */
    public LogOptions syncDist(boolean value) {
        return new LogOptions(onStep, onEpoch, progBar, logger, reduceFx, value, batchSize, addDataloaderIdx, rankZeroOnly);
    }

    /** The batch size that weighs this value in the epoch mean (default: the current batch's size). */
    public LogOptions batchSize(int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + value);
        }
        return new LogOptions(onStep, onEpoch, progBar, logger, reduceFx, syncDist, value, addDataloaderIdx, rankZeroOnly);
    }

    /**
     * With several evaluation dataloaders, add {@code /dataloader_idx_<n>} to the name (default true, as Lightning);
     * false logs one metric across the loaders, which must then each log it.
     */
    public LogOptions addDataloaderIdx(boolean value) {
        return new LogOptions(onStep, onEpoch, progBar, logger, reduceFx, syncDist, batchSize, value, rankZeroOnly);
    }

    /**
     * Logged by rank 0 alone, as Lightning's {@code rank_zero_only}: the value is never reduced across processes (the
     * others do not log it, so a reduction would wait for them forever); on one process nothing changes.
     */
    public LogOptions rankZeroOnly(boolean value) {
        return new LogOptions(onStep, onEpoch, progBar, logger, reduceFx, syncDist, batchSize, addDataloaderIdx, value);
    }

    /** The explicit per-step choice, or null for the hook's default. */
    public Boolean onStep() {
        return onStep;
    }

    /** The explicit per-epoch choice, or null for the hook's default. */
    public Boolean onEpoch() {
        return onEpoch;
    }

    public boolean progBar() {
        return progBar;
    }

    public boolean logger() {
        return logger;
    }

    public ReduceFx reduceFx() {
        return reduceFx;
    }

    public boolean syncDist() {
        return syncDist;
    }

    public boolean rankZeroOnly() {
        return rankZeroOnly;
    }

    public boolean addDataloaderIdx() {
        return addDataloaderIdx;
    }

    /** The explicit batch size, or null for the current batch's. */
    public Integer batchSize() {
        return batchSize;
    }
}
