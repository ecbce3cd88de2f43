package io.torchlight.api;

import java.util.List;
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
    public static final LogOptions DEFAULT = new LogOptions();

    private Boolean onStep;
    private Boolean onEpoch;
    private boolean progBar;
    private boolean logger;
    private ReduceFx reduceFx;
    private boolean syncDist;
    private Integer batchSize;
    private boolean addDataloaderIdx;
    private boolean rankZeroOnly;
    private boolean enableGraph;
    private List<Integer> syncDistGroup;

    private LogOptions() {
        progBar = false;
        logger = true;
        reduceFx = ReduceFx.MEAN;
        addDataloaderIdx = true;
        syncDistGroup = List.of();
    }

    private LogOptions(LogOptions from) {
        onStep = from.onStep;
        onEpoch = from.onEpoch;
        progBar = from.progBar;
        logger = from.logger;
        reduceFx = from.reduceFx;
        syncDist = from.syncDist;
        batchSize = from.batchSize;
        addDataloaderIdx = from.addDataloaderIdx;
        rankZeroOnly = from.rankZeroOnly;
        enableGraph = from.enableGraph;
        syncDistGroup = from.syncDistGroup;
    }

    /** Starts from the defaults. */
    public static LogOptions defaults() {
        return DEFAULT;
    }

    /** Log the value of every step as {@code name} (or {@code name_step} when also per epoch). */
    public LogOptions onStep(boolean value) {
        LogOptions out = new LogOptions(this);
        out.onStep = value;
        return out;
    }

    /** Log the epoch's reduction as {@code name} (or {@code name_epoch} when also per step). */
    public LogOptions onEpoch(boolean value) {
        LogOptions out = new LogOptions(this);
        out.onEpoch = value;
        return out;
    }

    /** Show the metric in the progress bar. */
    public LogOptions progBar(boolean value) {
        LogOptions out = new LogOptions(this);
        out.progBar = value;
        return out;
    }

    /** Send the metric to the loggers (default true). */
    public LogOptions logger(boolean value) {
        LogOptions out = new LogOptions(this);
        out.logger = value;
        return out;
    }

    /** How the epoch value is reduced (default mean weighted by batch size). */
    public LogOptions reduceFx(ReduceFx value) {
        LogOptions out = new LogOptions(this);
        out.reduceFx = Objects.requireNonNull(value);
        return out;
    }

    /**
     * Reduce the step value across processes through the strategy, with the metric's own reduction (Lightning's
     * {@code sync_dist}); epoch values are reduced across processes anyway, means as sums of values and batch sizes,
     * unless {@link #rankZeroOnly(boolean)}. One process reduces nothing.
     */
    public LogOptions syncDist(boolean value) {
        LogOptions out = new LogOptions(this);
        out.syncDist = value;
        return out;
    }

    /** The batch size that weighs this value in the epoch mean (default: the current batch's size). */
    public LogOptions batchSize(int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + value);
        }
        LogOptions out = new LogOptions(this);
        out.batchSize = value;
        return out;
    }

    /**
     * With several evaluation dataloaders, add {@code /dataloader_idx_<n>} to the name (default true, as Lightning);
     * false logs one metric across the loaders, which must then each log it.
     */
    public LogOptions addDataloaderIdx(boolean value) {
        LogOptions out = new LogOptions(this);
        out.addDataloaderIdx = value;
        return out;
    }

    /**
     * Logged by rank 0 alone, as Lightning's {@code rank_zero_only}: the value is never reduced across processes (the
     * others do not log it, so a reduction would wait for them forever); on one process nothing changes.
     */
    public LogOptions rankZeroOnly(boolean value) {
        LogOptions out = new LogOptions(this);
        out.rankZeroOnly = value;
        return out;
    }

    /**
     * Keep the logged tensor's autograd graph (Lightning's {@code enable_graph}): {@code TrainerView.loggedTensor} then
     * returns the tensor as logged, graph included, until the next value replaces it; by default it is detached. The
     * epoch reduction never keeps a graph.
     */
    public LogOptions enableGraph(boolean value) {
        LogOptions out = new LogOptions(this);
        out.enableGraph = value;
        return out;
    }

    /**
     * The processes, by global rank, that reduce this value together (Lightning's {@code sync_dist_group}); empty, the
     * default, is every process. It goes to the strategy's {@code reduce} with the value.
     */
    public LogOptions syncDistGroup(List<Integer> ranks) {
        for (Integer rank : ranks) {
            if (rank == null || rank < 0) {
                throw new IllegalArgumentException("syncDistGroup takes global ranks (0 or more), got " + ranks);
            }
        }
        LogOptions out = new LogOptions(this);
        out.syncDistGroup = List.copyOf(ranks);
        return out;
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

    public boolean enableGraph() {
        return enableGraph;
    }

    /** The global ranks that reduce together; empty for every process. */
    public List<Integer> syncDistGroup() {
        return syncDistGroup;
    }

    /** The explicit batch size, or null for the current batch's. */
    public Integer batchSize() {
        return batchSize;
    }
}
