package io.torchlight.core.internal.logging;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.LogOptions;
import io.torchlight.api.ReduceFx;
import io.torchlight.api.TorchlightException;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.utils.metrics.Metric;

/**
 * The metrics logged during one loop (training, or one evaluation), like Lightning's
 * {@code ResultCollection}: for each name the latest step value and the running epoch reduction,
 * weighted by batch size. Reading values is what synchronises with the device.
 */
public final class MetricStore implements AutoCloseable {

    private final Map<String, LoggedMetric> metrics = new LinkedHashMap<>();
    private final Map<String, MetricValue> values = new LinkedHashMap<>();
    private final Map<String, Boolean> stepPending = new LinkedHashMap<>();
    private boolean epochDone;
    private MetricSync sync = MetricSync.NONE;

    /** How values logged with {@code syncDist} are reduced across processes. */
    void sync(MetricSync value) {
        sync = value;
    }

    /** Records one value logged in {@code hook}; errors name the metric and the hook. */
    public void log(String name, Object value, LogOptions options, Hook hook, LongSupplier batchSize) {
        log(name, "", value, options, hook, batchSize);
    }

    /**
     * Records one value logged in {@code hook} while evaluation dataloader {@code suffix} (or "") runs; {@code
     * batchSize} is asked only for a value that weights an epoch mean and was logged without a batch size.
     */
    public void log(String baseName, String suffix, Object value, LogOptions options, Hook hook, LongSupplier batchSize) {
        Hook.Logging rule = LogRules.of(hook);
        String name = suffix.isEmpty() ? baseName : baseName + suffix; // log() runs every step
        checkValue(name, value, hook);
        LoggedMetric metric = LoggedMetric.resolve(baseName, suffix, options, rule, hook);
        if (metric.onStep() && !rule.stepAllowed()) {
            throw new TorchlightException("log('" + name + "', onStep=true) is not allowed in " + hook
                    + ": epoch-level hooks log once per epoch");
        }
        if (!metric.onStep() && !metric.onEpoch()) {
            throw new TorchlightException("log('" + name + "') in " + hook + " has onStep=false and onEpoch=false: nothing would be logged");
        }
        LoggedMetric known = metrics.putIfAbsent(name, metric);
        if (known != null && (known.onStep() != metric.onStep() || known.onEpoch() != metric.onEpoch() || known.fx() != metric.fx())) {
            throw new TorchlightException("metric '" + name + "' was logged in " + known.hook() + " and again in " + hook
                    + " with different onStep/onEpoch/reduceFx: use one setting or another name");
        }
        long weight = weight(name, value, metric, options, hook, batchSize);
        values.computeIfAbsent(name, n -> new MetricValue(metric.fx(), metric.onEpoch(),
                options.rankZeroOnly() ? MetricSync.NONE : sync, options.syncDist(), options.syncDistGroup(), options.enableGraph()))
                .add(value, weight);
        if (metric.onStep()) {
            stepPending.put(name, true);
        }
    }

    /** How much the value counts in its epoch mean: the batch size given, else inferred from the batch (Lightning). */
    private static long weight(String name, Object value, LoggedMetric metric, LogOptions options, Hook hook, LongSupplier batchSize) {
        if (options.batchSize() != null) {
            return options.batchSize();
        }
        if (!metric.onEpoch() || metric.fx() != ReduceFx.MEAN || value instanceof Metric) {
            return 1;
        }
        try {
            return Math.max(1, batchSize.getAsLong());
        } catch (IllegalStateException e) {
            throw new TorchlightException("log('" + name + "') in " + hook + ": could not infer the batch size to weight the epoch"
                    + " mean, " + e.getMessage() + ". Give it with log(name, value, LogOptions.defaults().batchSize(n)),"
                    + " or let the batch or a Movable value in it hold a tensor", e);
        }
    }

    private static void checkValue(String name, Object value, Hook hook) {
        if (value instanceof Metric) {
            return;
        }
        if (value instanceof Tensor t) {
            if (t.numel() != 1) {
                throw new TorchlightException("log('" + name + "') in " + hook + " got a tensor of shape "
                        + Arrays.toString(t.sizes().vec().get()) + ": log a scalar (e.g. loss.mean())");
            }
        } else if (!(value instanceof Number)) {
            throw new TorchlightException("log('" + name + "') in " + hook + " got "
                    + (value == null ? "null" : value.getClass().getName()) + ": log a scalar Tensor, a Number or a Metric");
        }
    }

    /** The step values logged since the last call, for loggers and the progress bar; clears them. */
    public Map<String, Double> takeStepMetrics(boolean forLogger) {
        Map<String, Double> out = new LinkedHashMap<>();
        stepPending.forEach((name, pending) -> {
            LoggedMetric m = metrics.get(name);
            if (!forLogger || m.logger()) {
                out.put(m.stepKey(), values.get(name).last());
            }
        });
        if (forLogger) {
            stepPending.clear();
        }
        return out;
    }

    /** The epoch reductions of every per-epoch metric ({@code forLogger}: only those sent to loggers). */
    public Map<String, Double> epochMetrics(boolean forLogger) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((name, m) -> {
            MetricValue v = values.get(name);
            if (m.onEpoch() && v != null && v.seen() && (!forLogger || m.logger())) {
                out.put(m.epochKey(), v.reduced());
            }
        });
        return out;
    }

    /**
     * What an evaluation returns per loader, as Lightning's results: the epoch value of every per-epoch metric under
     * its epoch key and, when it was also logged per step, under its plain name too; per-step-only metrics are not
     * results.
     */
    public Map<String, Double> epochResults() {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((name, m) -> {
            MetricValue v = values.get(name);
            if (m.onEpoch() && v != null && v.seen()) {
                double reduced = v.reduced();
                out.put(m.epochKey(), reduced);
                out.put(name, reduced);
            }
        });
        return out;
    }

    /** Marks the epoch as reduced: callback metrics now report epoch values under the plain names too. */
    /** The epoch is over: its values are reduced across processes now, the same on every process (collectives). */
    public void epochDone() {
        values.values().forEach(MetricValue::syncEpoch);
        epochDone = true;
    }

    /**
     * What callbacks see: step values under their step keys (and the plain name while the epoch runs),
     * epoch values under their epoch keys and the plain name once the epoch is done.
     */
    public Map<String, Double> callbackMetrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((name, m) -> {
            MetricValue v = values.get(name);
            if (v == null || !v.seen()) {
                return;
            }
            if (m.onStep()) {
                double last = v.last();
                out.put(m.stepKey(), last);
                out.put(name, last);
            }
            if (m.onEpoch() && (epochDone || !m.onStep())) {
                double reduced = v.reduced();
                out.put(m.epochKey(), reduced);
                out.put(name, reduced);
            }
        });
        return out;
    }

    /** A new handle on the latest tensor logged under {@code key} (its name or step key), or null when there is none. */
    public Tensor loggedTensor(String key) {
        for (Map.Entry<String, LoggedMetric> e : metrics.entrySet()) {
            MetricValue v = values.get(e.getKey());
            if (v != null && v.seen() && (e.getKey().equals(key) || e.getValue().onStep() && e.getValue().stepKey().equals(key))) {
                return v.lastTensor();
            }
        }
        return null;
    }

    /** The progress-bar metrics: latest step values and, once reduced, epoch values. */
    public Map<String, Double> progressBarMetrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((name, m) -> {
            MetricValue v = values.get(name);
            if (!m.progBar() || v == null || !v.seen()) {
                return;
            }
            if (m.onStep()) {
                out.put(m.stepKey(), v.last());
            }
            if (m.onEpoch() && (epochDone || !m.onStep())) {
                out.put(m.epochKey(), v.reduced());
            }
        });
        return out;
    }

    /** Forgets every value (a new epoch or evaluation run). */
    public void reset() {
        values.values().forEach(MetricValue::close);
        values.clear();
        metrics.clear();
        stepPending.clear();
        epochDone = false;
    }

    @Override
    public void close() {
        reset();
    }
}
