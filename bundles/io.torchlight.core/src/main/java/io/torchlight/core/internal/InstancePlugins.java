package io.torchlight.core.internal;

import java.util.List;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.callback.Callback;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.strategy.Strategy;

/** Plain Java: the accelerator, strategy, loggers and callbacks are the instances in the configuration. */
final class InstancePlugins implements Plugins {

    @Override
    public Accelerator accelerator(TrainerConfig config) {
        Accelerator accelerator = config.acceleratorInstance();
        if (accelerator == null) {
            throw new TorchlightException("no accelerator: outside the container pass one, e.g. "
                    + "TrainerConfig.builder().accelerator(new CpuAccelerator())");
        }
        if (!accelerator.isAvailable()) {
            throw new TorchlightException("accelerator " + accelerator.name() + " is not available: "
                    + accelerator.unavailableReason().orElse("no reason given"));
        }
        return accelerator;
    }

    @Override
    public Strategy strategy(TrainerConfig config) {
        Strategy strategy = config.strategyInstance();
        if (strategy == null) {
            throw new TorchlightException("no strategy: outside the container pass one, e.g. "
                    + "TrainerConfig.builder().strategy(new SingleDeviceStrategy())");
        }
        return strategy;
    }

    @Override
    public List<Logger> loggers(TrainerConfig config) {
        return config.loggers();
    }

    @Override
    public List<Callback> callbacks(TrainerConfig config) {
        return config.callbacks();
    }
}
