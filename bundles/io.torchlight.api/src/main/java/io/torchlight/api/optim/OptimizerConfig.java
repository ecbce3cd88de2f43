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
    private final List<Integer> frequencies;

    private OptimizerConfig(List<Optimizer> optimizers, List<LrSchedulerConfig> schedulers, List<Integer> frequencies) {
        if (optimizers.isEmpty()) {
            throw new IllegalArgumentException("an OptimizerConfig needs at least one optimizer");
        }
        optimizers.forEach(o -> Objects.requireNonNull(o, "optimizer"));
        this.optimizers = List.copyOf(optimizers);
        this.schedulers = List.copyOf(schedulers);
        this.frequencies = List.copyOf(frequencies);
    }

    public static OptimizerConfig of(Optimizer... optimizers) {
        return new OptimizerConfig(List.of(optimizers), List.of(), List.of());
    }

    public static OptimizerConfig of(List<? extends Optimizer> optimizers) {
        return new OptimizerConfig(new ArrayList<>(optimizers), List.of(), List.of());
    }

    /**
     * Alternates the optimizers instead of stepping each on every batch, as Lightning's {@code "frequency"} keys:
     * the first optimizer trains {@code frequencies[0]} batches, then the second {@code frequencies[1]}, and so on,
     * cycling with the batch index of the epoch (a WGAN critic trained 5 batches per generator batch:
     * {@code OptimizerConfig.of(generator, critic).frequencies(1, 5)}). One positive frequency per optimizer.
     */
    public OptimizerConfig frequencies(int... perOptimizer) {
        if (perOptimizer.length != optimizers.size()) {
            throw new IllegalArgumentException("frequencies: one per optimizer (" + optimizers.size() + "), got "
                    + perOptimizer.length);
        }
        List<Integer> values = new ArrayList<>();
        for (int f : perOptimizer) {
            if (f < 1) {
                throw new IllegalArgumentException("frequencies: each must be a positive number of batches, got " + f);
            }
            values.add(f);
        }
        return new OptimizerConfig(optimizers, schedulers, values);
    }

    /** Adds a scheduler stepping once per epoch. */
    public OptimizerConfig scheduler(LrScheduler scheduler) {
        return scheduler(LrSchedulerConfig.of(scheduler));
    }

    /** Adds a scheduler with its stepping configuration. */
    public OptimizerConfig scheduler(LrSchedulerConfig scheduler) {
        List<LrSchedulerConfig> more = new ArrayList<>(schedulers);
        more.add(Objects.requireNonNull(scheduler, "scheduler"));
        return new OptimizerConfig(optimizers, more, frequencies);
    }

    public List<Optimizer> optimizers() {
        return optimizers;
    }

    public List<LrSchedulerConfig> schedulers() {
        return schedulers;
    }

    /** The batches each optimizer trains in turn; empty when every optimizer steps on every batch. */
    public List<Integer> frequencies() {
        return frequencies;
    }
}
