package io.torchlight.core;

import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.plugins.Plugins;

/**
 * Entry point without the container: a trainer whose accelerator, strategy, loggers and callbacks are the given
 * instances.
 *
 * <pre>
 * Trainer trainer = Torchlight.trainer(TrainerConfig.builder().maxEpochs(3).build(),
 *         TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()));
 * trainer.fit(model);
 * </pre>
 */
public final class Torchlight {

    private Torchlight() {
    }

    public static Trainer trainer(TrainerConfig config, TrainerPlugins plugins) {
        return DefaultTrainer.open(TrainerSetup.of(config, plugins), Plugins.instances(), Hooks.HookListener.NONE);
    }
}
