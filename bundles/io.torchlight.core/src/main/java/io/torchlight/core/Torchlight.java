package io.torchlight.core;

import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.plugins.ClasspathPlugins;

/**
 * Entry point without the container, as Lightning's {@code Trainer(...)}: the given accelerator, strategy, loggers and
 * callbacks, and for the rest the defaults of the Torchlight jars on the class path (CPU accelerator, single-device
 * strategy, ModelCheckpoint, progress bar, model summary, TensorBoard or CSV logger), each switched off by its flag.
 *
 * <pre>
 * Trainer trainer = Torchlight.trainer(TrainerConfig.builder().maxEpochs(3).build());
 * trainer.fit(model);
 * </pre>
 */
public final class Torchlight {

    private Torchlight() {
    }

    /** A trainer with these plug-ins, and the class path's defaults for what they leave out. */
    public static Trainer trainer(TrainerConfig config, TrainerPlugins plugins) {
        return DefaultTrainer.open(TrainerSetup.of(config, plugins), new ClasspathPlugins(Torchlight.class.getClassLoader()),
                Hooks.HookListener.NONE);
    }

    /** A trainer with the class path's default plug-ins. */
    public static Trainer trainer(TrainerConfig config) {
        return trainer(config, TrainerPlugins.none());
    }
}
