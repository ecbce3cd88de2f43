package io.torchlight.core.internal.logging;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.logger.Logger;
import io.torchlight.core.internal.hooks.Isolator;

/**
 * Sends metrics to the loggers at Lightning's moments: training step values every
 * {@code logEveryNSteps} batches that stepped, epoch values at the end of each training epoch and each
 * evaluation, always with the step Lightning 1.6.5 logs (the batches that stepped before the current one) and
 * the current epoch. Also merges what callbacks see.
 */
public final class LoggerConnector implements AutoCloseable {

    private final List<Logger> loggers = new CopyOnWriteArrayList<>();
    private final MetricStore train = new MetricStore();
    private final MetricStore eval = new MetricStore();
    private final Map<String, Double> logged = new LinkedHashMap<>();
    private final Map<String, Double> lastEval = new LinkedHashMap<>();
    private final int logEveryNSteps;
    private volatile Isolator isolator = Isolator.NONE;
    private volatile MetricSink sink = MetricSink.NONE;
    private volatile boolean writes = true;

    public LoggerConnector(List<Logger> loggers, int logEveryNSteps) {
        this.loggers.addAll(loggers);
        this.logEveryNSteps = logEveryNSteps;
    }

    /** Who decides whether a failing logger fails the run or is detached. */
    public void isolator(Isolator value) {
        isolator = value;
    }

    /** How values logged with {@code syncDist} are reduced across processes (the strategy's reduce). */
    public void sync(MetricSync value) {
        train.sync(value);
        eval.sync(value);
    }

    /** Who else is told what the loggers are sent (the container's metric stream), whether or not there are loggers. */
    public void sink(MetricSink value) {
        sink = value;
    }

    /**
     * Whether this process writes logs at all: only global rank 0 does with several processes (Lightning's
     * rank_zero_only); the others keep their metric stores, which the collectives need, and no logger.
     */
    public void writes(boolean value) {
        writes = value;
        if (!value) {
            loggers.clear();
        }
    }

    /** A logger joining mid-run: it is set up and gets the hyperparameters before any metric. */
    public void attach(Logger logger, Path runDir, Map<String, Object> hparams) {
        if (!writes) {
            return;
        }
        loggers.add(logger);
        call(logger, "setup", () -> logger.setup(runDir));
        call(logger, "logHyperparams", () -> logger.logHyperparams(hparams));
    }

    /** A logger leaving mid-run: saved and finalized, then dropped; the others are untouched. */
    public void detach(Logger logger, String status) {
        if (loggers.remove(logger)) {
            call(logger, "save", logger::save);
            call(logger, "finalize", () -> logger.finalize(status));
        }
    }

    public List<Logger> loggers() {
        return List.copyOf(loggers);
    }

    public MetricStore train() {
        return train;
    }

    public MetricStore eval() {
        return eval;
    }

    /** Tells every logger where the run writes. */
    public void setup(Path runDir) {
        for (Logger logger : loggers) {
            call(logger, "setup", () -> logger.setup(runDir));
        }
    }

    /** Gives every logger the run's hyperparameters. */
    public void logHyperparams(Map<String, Object> hparams) {
        for (Logger logger : loggers) {
            call(logger, "logHyperparams", () -> logger.logHyperparams(hparams));
        }
    }

    /**
     * After a training batch that ended an accumulation window: sends the step values when the batch completes a
     * logging interval or the fit is asked to stop. {@code step} counts the batches that stepped before this one,
     * so with {@code logEveryNSteps = 50} rows land at steps 49, 99, ... as Lightning 1.6.5 writes them.
     */
    public void afterTrainingBatch(long step, boolean stopping, int epoch) {
        if ((step + 1) % logEveryNSteps != 0 && !stopping) {
            return;
        }
        Map<String, Double> metrics = train.takeStepMetrics(true);
        if (!metrics.isEmpty()) {
            send(metrics, step, epoch);
        }
    }

    /** Whether the batch after {@code step} batches that stepped logs its step values (Lightning's should_update_logs). */
    public boolean logsAfter(long step) {
        return (step + 1) % logEveryNSteps == 0;
    }

    /** At the end of a training epoch: sends the epoch reductions. */
    public void trainingEpochEnd(long globalStep, int epoch) {
        train.epochDone();
        Map<String, Double> metrics = train.epochMetrics(true);
        if (!metrics.isEmpty()) {
            send(metrics, globalStep, epoch);
        }
    }

    /** At the end of an evaluation: sends its epoch reductions and returns all of them (for validate/test results). */
    public Map<String, Double> evaluationEnd(long globalStep, int epoch, boolean sendToLoggers) {
        eval.epochDone();
        Map<String, Double> all = eval.epochResults();
        lastEval.clear();
        lastEval.putAll(eval.callbackMetrics());
        Map<String, Double> forLogger = eval.epochMetrics(true);
        if (sendToLoggers && !forLogger.isEmpty()) {
            send(forLogger, globalStep, epoch);
        }
        return all;
    }

    /** What callbacks see: training metrics merged with the last evaluation's. */
    public Map<String, Double> callbackMetrics() {
        Map<String, Double> out = new LinkedHashMap<>(train.callbackMetrics());
        out.putAll(lastEval);
        out.putAll(eval.callbackMetrics());
        return out;
    }

    /** A new handle on the latest tensor logged under {@code key}, by the running evaluation first, else by training. */
    public Tensor loggedTensor(String key) {
        Tensor t = eval.loggedTensor(key);
        return t != null ? t : train.loggedTensor(key);
    }

    /** The progress-bar metrics of training and evaluation. */
    public Map<String, Double> progressBarMetrics() {
        Map<String, Double> out = new LinkedHashMap<>(train.progressBarMetrics());
        out.putAll(eval.progressBarMetrics());
        return out;
    }

    /** What was last sent to the loggers, across all sends of the run. */
    public Map<String, Double> loggedMetrics() {
        return Map.copyOf(logged);
    }

    /** Saves and finalizes every logger with the run's status. */
    public void finish(String status) {
        for (Logger logger : loggers) {
            call(logger, "save", logger::save);
            call(logger, "finalize", () -> logger.finalize(status));
        }
    }

    private void send(Map<String, Double> metrics, long step, int epoch) {
        Map<String, Double> withEpoch = new LinkedHashMap<>(metrics);
        withEpoch.put("epoch", (double) epoch);
        logged.putAll(withEpoch);
        sink.logged(step, Collections.unmodifiableMap(withEpoch));
        for (Logger logger : loggers) {
            call(logger, "logMetrics", () -> logger.logMetrics(withEpoch, step));
            call(logger, "save", logger::save);
        }
    }

    private void call(Logger logger, String method, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (isolator.isolate(logger, "logger." + method, e)) {
                loggers.remove(logger);
                return;
            }
            throw new TorchlightException("logger " + logger.name() + " (" + logger.getClass().getName() + ") failed in "
                    + method + ": " + e, e);
        }
    }

    @Override
    public void close() {
        train.close();
        eval.close();
    }
}
