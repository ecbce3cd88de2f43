package io.torchlight.core.internal.optim;

import java.util.List;
import java.util.Map;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.optim.Interval;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.core.internal.hooks.Hook;
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

    /**
     * Steps the schedulers of {@code interval} whose frequency divides {@code count}: the batch's index in its epoch
     * plus one, or the finished epochs, as Lightning 1.6.5's TrainingEpochLoop._update_learning_rates counts them.
     * Each step goes through the module's {@code lrSchedulerStep} hook. With optimizer frequencies only the schedulers of
     * the optimizer whose turn it is at {@code totalBatchIdx} (the batch's index in the whole fit) step, as Lightning
     * 1.6.5's update_lr_schedulers picks them.
     */
    public void step(Interval interval, long count, long totalBatchIdx) {
        step(interval, count, totalBatchIdx, true, true);
    }

    /**
     * As {@link #step(Interval, long)}, for the schedulers without a monitor ({@code plain}) and/or those that read a
     * metric ({@code monitored}): Lightning 1.6.5 steps epoch schedulers of the first kind at the epoch's last batch,
     * of the second after the epoch's hooks, once its metrics exist.
     */
    public void step(Interval interval, long count, long totalBatchIdx, boolean plain, boolean monitored) {
        if (!ctx.module.automaticOptimization()) {
            return; // in manual optimization the training step steps its schedulers itself, as in Lightning 1.6
        }
        List<TrainerOptimizer> active = ctx.optimization().active(totalBatchIdx);
        Map<String, Double> metrics = null;
        for (LrSchedulerConfig config : ctx.optimization().schedulers()) {
            if (config.interval() != interval || count % config.frequency() != 0
                    || (config.monitor() == null ? !plain : !monitored)
                    || active.stream().noneMatch(o -> o.optimizer().address() == config.scheduler().optimizer().address())) {
                continue;
            }
            if (config.monitor() == null) {
                schedulerStep(config, null);
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
                // Lightning 1.6.5's _update_learning_rates: a RuntimeWarning, and the scheduler does not step
                ctx.warnings.once(config.scheduler().getClass().getSimpleName() + " conditioned on metric '" + config.monitor()
                        + "' which is not available but strict is set to false; available metrics: " + metrics.keySet());
                continue;
            }
            schedulerStep(config, value);
        }
    }

    private void schedulerStep(LrSchedulerConfig config, Double metric) {
        List<TrainerOptimizer> optimizers = ctx.optimization().optimizers();
        int optimizerIdx = 0;
        for (int i = 0; i < optimizers.size(); i++) {
            if (optimizers.get(i).optimizer().equals(config.scheduler().optimizer())) {
                optimizerIdx = i;
            }
        }
        int idx = optimizerIdx;
        ctx.hooks.module(Hook.LR_SCHEDULER_STEP, () -> ctx.module.lrSchedulerStep(config.scheduler(), idx, metric));
    }
}
