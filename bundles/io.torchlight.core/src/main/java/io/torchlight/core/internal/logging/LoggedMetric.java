package io.torchlight.core.internal.logging;

import io.torchlight.api.LogOptions;
import io.torchlight.api.ReduceFx;
import io.torchlight.core.internal.hooks.Hook;

/** How one metric was logged: resolved per-step/per-epoch choice and flags, fixed at its first log. */
public record LoggedMetric(String name, boolean onStep, boolean onEpoch, boolean progBar, boolean logger, ReduceFx fx,
        Hook hook) {

    static LoggedMetric resolve(String name, LogOptions options, Hook.Logging rule, Hook hook) {
        boolean onStep = options.onStep() != null ? options.onStep() : rule.defaultOnStep();
        boolean onEpoch = options.onEpoch() != null ? options.onEpoch() : rule.defaultOnEpoch();
        return new LoggedMetric(name, onStep, onEpoch, options.progBar(), options.logger(), options.reduceFx(), hook);
    }

    /** The key of the per-step value: {@code name}, or {@code name_step} when also logged per epoch. */
    String stepKey() {
        return onEpoch ? name + "_step" : name;
    }

    /** The key of the epoch value: {@code name}, or {@code name_epoch} when also logged per step. */
    String epochKey() {
        return onStep ? name + "_epoch" : name;
    }
}
