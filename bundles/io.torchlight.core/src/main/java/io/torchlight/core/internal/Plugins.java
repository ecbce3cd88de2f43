package io.torchlight.core.internal;

import java.util.List;

import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.callback.Callback;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.strategy.Strategy;

/**
 * The plug-ins of one trainer, chosen from a configuration: given as instances (plain Java) or looked up
 * as services (in the container). The core never names a concrete plug-in class.
 */
public interface Plugins {

    Accelerator accelerator(TrainerConfig config);

    Strategy strategy(TrainerConfig config);

    List<Logger> loggers(TrainerConfig config);

    List<Callback> callbacks(TrainerConfig config);

    /** The live logger and callback services, when plug-ins come from the service registry. */
    default java.util.Optional<LiveAttachments> live() {
        return java.util.Optional.empty();
    }

    /** Watches the accelerator service the run uses, when it comes from the service registry. */
    default java.util.Optional<AcceleratorWatch> acceleratorWatch() {
        return java.util.Optional.empty();
    }

    /** Replays the warnings reported so far (a plug-in detached, a selected name missing) and sends later ones too. */
    default void onReport(java.util.function.Consumer<String> listener) {
    }

    /** Gives back what the other methods took (prototype service instances). */
    default void release() {
    }

    /** Plug-ins exactly as the configuration holds them as instances. */
    static Plugins fromConfig() {
        return new InstancePlugins();
    }
}
