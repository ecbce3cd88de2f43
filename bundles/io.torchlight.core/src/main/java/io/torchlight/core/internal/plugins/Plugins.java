package io.torchlight.core.internal.plugins;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.torchlight.api.Callback;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.core.internal.TrainerSetup;

/**
 * The plug-ins of one trainer, chosen from its setup: given as instances (plain Java) or looked up
 * as services (in the container). The core never names a concrete plug-in class.
 */
public interface Plugins {

    Accelerator accelerator(TrainerSetup setup);

    Strategy strategy(TrainerSetup setup);

    List<Logger> loggers(TrainerSetup setup);

    List<Callback> callbacks(TrainerSetup setup);

    /** The profiler the setup gives or its {@code profiler} flag names; none when the flag is empty or {@code none}. */
    Optional<Profiler> profiler(TrainerSetup setup);

    /** The accelerator of this name (or Lightning's {@code gpu}) to move a run to; an error listing those there are. */
    default Accelerator acceleratorNamed(String name) {
        throw new TorchlightException("no accelerator named '" + name + "' to move to: outside the container, call "
                + "DefaultTrainer.moveTo(accelerator, device) with the instance");
    }

    /** The live logger and callback services, when plug-ins come from the service registry. */
    default Optional<LiveAttachments> live() {
        return Optional.empty();
    }

    /** Watches the accelerator service the run uses, when it comes from the service registry. */
    default Optional<AcceleratorWatch> acceleratorWatch() {
        return Optional.empty();
    }

    /** Replays the warnings reported so far (a plug-in detached, a selected name missing) and sends later ones too. */
    default void onReport(Consumer<String> listener) {
    }

    /** Gives back what the other methods took (prototype service instances). */
    default void release() {
    }

    /** Plug-ins exactly as the setup holds them as instances. */
    static Plugins instances() {
        return new InstancePlugins();
    }
}
