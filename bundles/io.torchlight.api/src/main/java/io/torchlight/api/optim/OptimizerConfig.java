package io.torchlight.api.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.bytedeco.pytorch.Optimizer;
import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.utils.optim.LrScheduler;

/**
 * Optimizers with their learning-rate schedulers: the richest thing {@code configureOptimizers} can
 * return (it may also return one {@link Optimizer} or a {@code List} of them).
 *
 * <pre>
 * return OptimizerConfig.of(adam).scheduler(LrSchedulerConfig.of(new StepLR(adam, 10, 0.1)).interval(Interval.EPOCH));
 * </pre>
 */
@ProviderType
public final class OptimizerConfig {

    private final List<Optimizer> optimizers;
    private final List<LrSchedulerConfig> schedulers;

    private OptimizerConfig(List<Optimizer> optimizers, List<LrSchedulerConfig> schedulers) {
        if (optimizers.isEmpty()) {
            throw new IllegalArgumentException("an OptimizerConfig needs at least one optimizer");
        }
        optimizers.forEach(o -> Objects.requireNonNull(o, "optimizer"));
        this.optimizers = List.copyOf(optimizers);
        this.schedulers = List.copyOf(schedulers);
    }

    public static OptimizerConfig of(Optimizer... optimizers) {
        return new OptimizerConfig(List.of(optimizers), List.of());
    }

    public static OptimizerConfig of(List<? extends Optimizer> optimizers) {
        return new OptimizerConfig(new ArrayList<>(optimizers), List.of());
    }

    /** Adds a scheduler stepping once per epoch. */
    public OptimizerConfig scheduler(LrScheduler scheduler) {
        return scheduler(LrSchedulerConfig.of(scheduler));
    }

    /** Adds a scheduler with its stepping configuration. */
    public OptimizerConfig scheduler(LrSchedulerConfig scheduler) {
        List<LrSchedulerConfig> more = new ArrayList<>(schedulers);
        more.add(Objects.requireNonNull(scheduler, "scheduler"));
        return new OptimizerConfig(optimizers, more);
    }

    public List<Optimizer> optimizers() {
        return optimizers;
    }

    public List<LrSchedulerConfig> schedulers() {
        return schedulers;
    }
}
