package io.torchlight.core.internal.optim;

import java.util.List;

import io.torchlight.api.optim.LrSchedulerConfig;

/** What {@code configureOptimizers} set up for one fit: the optimizers, in order, and their schedulers. */
public record FitOptimizers(List<TrainerOptimizer> optimizers, List<LrSchedulerConfig> schedulers) {

    /** Before a fit configures any (and for evaluation stages). */
    public static final FitOptimizers NONE = new FitOptimizers(List.of(), List.of());

    public FitOptimizers {
        optimizers = List.copyOf(optimizers);
        schedulers = List.copyOf(schedulers);
    }
}
