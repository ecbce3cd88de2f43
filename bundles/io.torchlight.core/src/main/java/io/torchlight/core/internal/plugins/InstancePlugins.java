package io.torchlight.core.internal.plugins;

import java.util.List;
import java.util.Optional;

import io.torchlight.api.Callback;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.core.internal.TrainerSetup;

/** Plain Java: the accelerator, strategy, loggers and callbacks are the instances of the setup. */
public final class InstancePlugins implements Plugins {

    @Override
    public Accelerator accelerator(TrainerSetup setup) {
        Accelerator accelerator = setup.instances().accelerator().orElse(null);
        if (accelerator == null) {
            throw new TorchlightException("no accelerator: outside the container pass one, e.g. "
                    + "TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy())");
        }
        return PluginRules.usable(accelerator, "");
    }

    @Override
    public Strategy strategy(TrainerSetup setup) {
        Strategy strategy = setup.instances().strategy().orElse(null);
        if (strategy == null) {
            throw new TorchlightException("no strategy: outside the container pass one, e.g. "
                    + "TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy())");
        }
        return strategy;
    }

    @Override
    public List<Logger> loggers(TrainerSetup setup) {
        return setup.instances().loggers();
    }

    @Override
    public List<Callback> callbacks(TrainerSetup setup) {
        return setup.instances().callbacks();
    }

    @Override
    public Optional<Profiler> profiler(TrainerSetup setup) {
        return PluginRules.profiler(setup, List.of(), "; outside the container pass one, e.g. "
                + "TrainerPlugins.withProfiler(new SimpleProfiler()) from io.torchlight.profiler");
    }
}
