package io.torchlight.callback.progress;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.TrainerView;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.optim.Interval;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.utils.data.Batch;

/**
 * Lightning's LearningRateMonitor: logs each optimizer's learning rate to the run's loggers under its scheduler
 * configuration's {@code name}, or else as {@code lr-<Optimizer>} ({@code lr-<Optimizer>/pg<N>} when it has several parameter groups, {@code lr-<Optimizer>-<i>}
 * when two optimizers share a class), every {@code logEveryNSteps} steps or at every epoch start.
 */
public class LearningRateMonitor implements Callback {

    /** The callback's service name. */
    public static final String NAME = "lr_monitor";

    private final Interval interval;

    /** Logs at logging steps. */
    public LearningRateMonitor() {
        this(Interval.STEP);
    }

    public LearningRateMonitor(Interval interval) {
        this.interval = Objects.requireNonNull(interval, "logging interval");
    }

    @Override
    public void onTrainBatchStart(TrainerView trainer, LightningModule module, Batch batch, int batchIdx) {
        if (interval == Interval.STEP && trainer.globalStep() % Math.max(1, trainer.config().logEveryNSteps()) == 0) {
            log(trainer);
        }
    }

    @Override
    public void onTrainEpochStart(TrainerView trainer, LightningModule module) {
        if (interval == Interval.EPOCH) {
            log(trainer);
        }
    }

    /** The current learning rates under their logged names. */
    public static Map<String, Double> rates(List<LightningOptimizer> optimizers) {
        return rates(optimizers, List.of());
    }

    /**
     * The current learning rates under their logged names: the {@code name} of the optimizer's scheduler configuration
     * when it has one, as Lightning 1.6.5's LearningRateMonitor._find_names, else {@code lr-<Optimizer>}.
     */
    public static Map<String, Double> rates(List<LightningOptimizer> optimizers, List<LrSchedulerConfig> schedulers) {
        Map<String, Double> rates = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (LightningOptimizer o : optimizers) {
            String type = o.optimizer().getClass().getSimpleName();
            int n = seen.merge(type, 1, Integer::sum);
            String name = schedulers.stream().filter(c -> c.name() != null && c.scheduler().optimizer().equals(o.optimizer()))
                    .map(LrSchedulerConfig::name).findFirst().orElse("lr-" + type + (n > 1 ? "-" + (n - 1) : ""));
            if (o.groups() == 1) {
                rates.put(name, o.lr(0));
            } else {
                for (int g = 0; g < o.groups(); g++) {
                    rates.put(name + "/pg" + (g + 1), o.lr(g));
                }
            }
        }
        return rates;
    }

    private static void log(TrainerView trainer) {
        Map<String, Double> rates = rates(trainer.optimizers(), trainer.lrSchedulers());
        if (rates.isEmpty()) {
            return;
        }
        for (Logger logger : trainer.loggers()) {
            logger.logMetrics(rates, trainer.globalStep());
        }
    }
}
