package io.torchlight.core.internal.optim;

import java.util.Map;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.optim.Interval;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.core.internal.loops.RunContext;

/**
 * Steps the learning-rate schedulers of one interval when their frequency is due, in automatic optimization only; a
 * scheduler with a monitor reads the metric from the callback metrics (missing and strict: an error listing what
 * exists).
 */
public final class SchedulerStepper {

    private final RunContext ctx;

    public SchedulerStepper(RunContext ctx) {
        this.ctx = ctx;
    }

    /** Steps the schedulers of {@code interval}; {@code count} is the finished batches or epochs (1-based). */
    public void step(Interval interval, long count) {
        if (!ctx.module.automaticOptimization()) {
            return; // in manual optimization the training step steps its schedulers itself, as in Lightning 1.6
        }
        Map<String, Double> metrics = null;
        for (LrSchedulerConfig config : ctx.optimization().schedulers()) {
            if (config.interval() != interval || count % config.frequency() != 0) {
                continue;
            }
            if (config.monitor() == null) {
                config.scheduler().step();
                continue;
            }
            if (metrics == null) {
                metrics = ctx.logging.callbackMetrics();
            }
            Double value = metrics.get(config.monitor());
            if (value == null) {
                if (config.strict()) {
                    throw new TorchlightException("the " + config.scheduler().getClass().getSimpleName() + " scheduler monitors '"
                            + config.monitor() + "', which was not logged; logged metrics: " + metrics.keySet()
                            + " (log it, change the monitor, or set strict(false))");
                }
                continue;
            }
            config.scheduler().step(value);
        }
    }
}
