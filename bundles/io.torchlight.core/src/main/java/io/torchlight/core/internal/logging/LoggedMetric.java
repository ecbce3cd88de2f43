package io.torchlight.core.internal.logging;

import io.torchlight.api.LogOptions;
import io.torchlight.api.ReduceFx;
import io.torchlight.core.internal.hooks.Hook;

/**
 * How one metric was logged: resolved per-step/per-epoch choice and flags, fixed at its first log. {@code suffix} is
 * the evaluation dataloader's ({@code /dataloader_idx_1}) or empty; it comes after the step/epoch fork, as Lightning
 * names them ({@code val_loss_epoch/dataloader_idx_1}).
 */
public record LoggedMetric(String name, String suffix, boolean onStep, boolean onEpoch, boolean progBar, boolean logger,
        ReduceFx fx, Hook hook) {

    static LoggedMetric resolve(String name, String suffix, LogOptions options, Hook.Logging rule, Hook hook) {
        boolean onStep = options.onStep() != null ? options.onStep() : rule.defaultOnStep();
        boolean onEpoch = options.onEpoch() != null ? options.onEpoch() : rule.defaultOnEpoch();
        return new LoggedMetric(name, suffix, onStep, onEpoch, options.progBar(), options.logger(), options.reduceFx(), hook);
    }

    /** The key under which the metric is known: its name and the dataloader suffix. */
    String key() {
        return suffixed(name);
    }

    /** The key of the per-step value: {@code name}, or {@code name_step} when also logged per epoch. */
    String stepKey() {
        return suffixed(onEpoch ? name + "_step" : name);
    }

    /** The key of the epoch value: {@code name}, or {@code name_epoch} when also logged per step. */
    String epochKey() {
        return suffixed(onStep ? name + "_epoch" : name);
    }

    /** The key with the dataloader suffix; the same string without one (keys are read every step). */
    private String suffixed(String key) {
        return suffix.isEmpty() ? key : key + suffix;
    }
}
