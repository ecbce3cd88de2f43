package io.torchlight.core.internal.logging;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.ReduceFx;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.strategy.ReduceOp;
import io.torchlight.utils.metrics.Metric;

/**
 * One metric's latest step value and, for metrics reduced per epoch, its running epoch reduction. Tensor
 * values stay on their device and are only read ({@code item}) when someone asks, so logging adds no host
 * synchronisation to a step; a step-only metric (Lightning's default in {@code training_step}) costs no
 * reduction op either. Tensors kept across steps are retained here and released on {@link #close()}.
 */
public final class MetricValue implements AutoCloseable {

    private final ReduceFx fx;
    private final boolean reduce;
    private Tensor lastTensor;
    private double lastNumber;
    private Tensor accTensor;
    private double accNumber;
    private double weight;
    private boolean seen;
    private Metric metric;
    private final MetricSync sync;
    private final boolean syncStep;
    private final List<Integer> group;
    private final boolean keepGraph;
    /** The latest step value reduced across processes when it was logged ({@code syncDist}), else null. */
    private Tensor syncedLast;
    /** The epoch reduction across processes, made when the epoch ended; null before, and again after a later value. */
    private Tensor syncedAcc;
    private double syncedWeight;

    /** {@code reduce}: keep the epoch reduction too, not only the latest value. */
    MetricValue(ReduceFx fx, boolean reduce) {
        this(fx, reduce, MetricSync.NONE, false, List.of(), false);
    }

    /**
     * Across processes ({@code sync}), as Lightning 1.6.5's ResultMetric: the epoch value is always reduced (a mean as
     * the sums of values and of batch sizes, max and min with themselves), the step value only with {@code syncStep}
     * ({@code syncDist}), with the metric's own reduction, over the processes of {@code group} (empty: all);
     * {@code rankZeroOnly} values get {@link MetricSync#NONE}. The reductions are collectives, so they happen where
     * every process is at the same point: a step value as it is logged (Lightning's forward cache), the epoch value
     * when the epoch ends ({@link #syncEpoch()}); reading a value never communicates, whoever reads it (a rank-zero
     * logger or checkpoint callback). {@code keepGraph} ({@code enableGraph}): the latest tensor is kept as logged,
     * graph included, for {@link #lastTensor()}; the epoch reduction is always made of detached values.
     */
    MetricValue(ReduceFx fx, boolean reduce, MetricSync sync, boolean syncStep, List<Integer> group, boolean keepGraph) {
        this.fx = fx;
        this.reduce = reduce;
        this.sync = sync;
        this.syncStep = syncStep;
        this.group = group;
        this.keepGraph = keepGraph;
    }

    /** Adds one logged value with the batch size that weighs it. */
    void add(Object value, long batchSize) {
        if (value instanceof Metric m) {
            if (metric != null && metric != m) {
                throw new TorchlightException("a different metric object was logged under a name that already has one: "
                        + "log each Metric under its own name");
            }
            metric = m; // it keeps its own state: read per step (its batch value) and per epoch (compute)
            seen = true;
            return;
        }
        if (value instanceof Tensor t) {
            addTensor(t, t.detach(), batchSize);
        } else {
            addNumber(((Number) value).doubleValue(), batchSize);
        }
        seen = true;
        dropSyncedEpoch(); // a value after the epoch's reduction: the epoch end reduces again
        if (syncStep && sync.active()) {
            Tensor local = lastTensor == null ? Tensor.create(lastNumber) : keepGraph ? lastTensor.detach() : lastTensor;
            keepSyncedLast(sync.reduce(local, op(), group));
        }
    }

    private void keepSyncedLast(Tensor value) {
        if (syncedLast != null) {
            syncedLast.releaseReference();
        }
        syncedLast = value;
        syncedLast.retainReference();
    }

    /** At the epoch's end, on every process alike: the epoch reduction across processes, kept for reading. */
    void syncEpoch() {
        if (metric != null || !reduce || !seen || !sync.active() || syncedAcc != null) {
            return;
        }
        Tensor local = accTensor != null ? accTensor : Tensor.create(accNumber);
        syncedAcc = sync.reduce(local, fx == ReduceFx.MEAN ? ReduceOp.SUM : op(), group);
        syncedAcc.retainReference();
        syncedWeight = fx == ReduceFx.MEAN ? sync.reduce(Tensor.create(weight), ReduceOp.SUM, group).item_double() : weight;
    }

    private void dropSyncedEpoch() {
        if (syncedAcc != null) {
            syncedAcc.releaseReference();
            syncedAcc = null;
        }
    }

    private void addNumber(double v, long batchSize) {
        release();
        lastNumber = v;
        if (!seen) {
            accNumber = fx == ReduceFx.MEAN ? v * batchSize : v;
        } else {
            accNumber = switch (fx) {
                case MEAN -> accNumber + v * batchSize;
                case SUM -> accNumber + v;
                case MAX -> Math.max(accNumber, v);
                case MIN -> Math.min(accNumber, v);
            };
        }
        weight += batchSize;
    }

    private void addTensor(Tensor logged, Tensor v, long batchSize) {
        if (lastTensor != null) {
            lastTensor.releaseReference();
        }
        lastTensor = keepGraph ? new Tensor(logged) : v; // a handle of our own, whatever the caller does with theirs
        lastTensor.retainReference();
        weight += batchSize;
        if (!reduce) {
            return;
        }
        if (accTensor == null) {
            accTensor = fx == ReduceFx.MEAN ? v.mul(new Scalar((double) batchSize)) : v.clone();
            accTensor.retainReference();
        } else {
            switch (fx) {
                case MEAN -> accTensor.add_(v, new Scalar((double) batchSize));
                case SUM -> accTensor.add_(v);
                case MAX -> accTensor.copy_(accTensor.maximum(v));
                case MIN -> accTensor.copy_(accTensor.minimum(v));
            }
        }
    }

    boolean seen() {
        return seen;
    }

    /** The latest step value (reads the device). */
    double last() {
        if (metric != null) {
            Tensor batch = metric.batchValue();
            return (batch != null ? batch : metric.compute()).item_double();
        }
        if (syncedLast != null) {
            return syncedLast.item_double();
        }
        return lastTensor != null ? lastTensor.item_double() : lastNumber;
    }

    /**
     * A new handle on the latest logged tensor, as logged with {@code enableGraph} (graph included), detached otherwise;
     * null when the value was a number or a metric object.
     */
    Tensor lastTensor() {
        return lastTensor == null ? null : new Tensor(lastTensor);
    }

    /** The epoch reduction so far (reads the device). */
    double reduced() {
        if (metric != null) {
            return metric.compute().item_double();
        }
        if (syncedAcc != null) {
            return fx == ReduceFx.MEAN ? syncedAcc.item_double() / syncedWeight : syncedAcc.item_double();
        }
        double acc = accTensor != null ? accTensor.item_double() : accNumber;
        return fx == ReduceFx.MEAN ? acc / weight : acc;
    }

    private ReduceOp op() {
        return switch (fx) {
            case MEAN -> ReduceOp.MEAN;
            case SUM -> ReduceOp.SUM;
            case MAX -> ReduceOp.MAX;
            case MIN -> ReduceOp.MIN;
        };
    }

    private void release() {
        if (lastTensor != null) {
            lastTensor.releaseReference();
            lastTensor = null;
        }
    }

    /** Forgets the values; a metric object logged here is reset, as Lightning resets it when its epoch is done with. */
    @Override
    public void close() {
        if (metric != null) {
            metric.reset();
            metric = null;
        }
        release();
        if (accTensor != null) {
            accTensor.releaseReference();
            accTensor = null;
        }
        if (syncedLast != null) {
            syncedLast.releaseReference();
            syncedLast = null;
        }
        dropSyncedEpoch();
    }
}
