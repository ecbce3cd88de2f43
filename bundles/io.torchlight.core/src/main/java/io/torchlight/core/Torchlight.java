package io.torchlight.core;

import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.Hooks;
import io.torchlight.core.internal.Plugins;

/**
 * Entry point without the container: a trainer whose accelerator, strategy, loggers and callbacks are
 * the instances in the configuration.
 *
 * <pre>
 * Trainer trainer = Torchlight.trainer(TrainerConfig.builder()
 *         .accelerator(new CpuAccelerator()).strategy(new SingleDeviceStrategy()).maxEpochs(3).build());
 * trainer.fit(model);
 * </pre>
 */
public final class Torchlight {

    private Torchlight() {
    }

    public static Trainer trainer(TrainerConfig config) {
        return new DefaultTrainer(config, Plugins.fromConfig(), Hooks.HookListener.NONE);
    }
}
