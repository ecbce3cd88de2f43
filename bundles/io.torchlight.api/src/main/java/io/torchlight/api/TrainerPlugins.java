package io.torchlight.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.api.strategy.Strategy;

/**
 * Plug-in instances for a trainer made in plain Java (in the container the trainer finds them as services): an
 * accelerator, a strategy, loggers, callbacks and a profiler. Immutable; each {@code with} returns a new value.
 *
 * <pre>
 * TrainerPlugins plugins = TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()).withLogger(csv);
 * </pre>
 */
@ProviderType
public final class TrainerPlugins {

    private static final TrainerPlugins NONE = new TrainerPlugins(null, null, List.of(), List.of(), null);

    private final Accelerator accelerator;
    private final Strategy strategy;
    private final List<Callback> callbacks;
    private final List<Logger> loggers;
    private final Profiler profiler;

    private TrainerPlugins(Accelerator accelerator, Strategy strategy, List<Callback> callbacks, List<Logger> loggers,
            Profiler profiler) {
        this.accelerator = accelerator;
        this.strategy = strategy;
        this.callbacks = List.copyOf(callbacks);
        this.loggers = List.copyOf(loggers);
        this.profiler = profiler;
    }

    /** No plug-ins: the trainer needs at least an accelerator and a strategy given or found. */
    public static TrainerPlugins none() {
        return NONE;
    }

    public static TrainerPlugins of(Accelerator accelerator, Strategy strategy) {
        return new TrainerPlugins(Objects.requireNonNull(accelerator, "accelerator"), Objects.requireNonNull(strategy, "strategy"),
                List.of(), List.of(), null);
    }

    public TrainerPlugins withAccelerator(Accelerator value) {
        return new TrainerPlugins(Objects.requireNonNull(value, "accelerator"), strategy, callbacks, loggers, profiler);
    }

    public TrainerPlugins withStrategy(Strategy value) {
        return new TrainerPlugins(accelerator, Objects.requireNonNull(value, "strategy"), callbacks, loggers, profiler);
    }

    /** These plug-ins plus one callback, after the others. */
    public TrainerPlugins withCallback(Callback value) {
        List<Callback> all = new ArrayList<>(callbacks);
        all.add(Objects.requireNonNull(value, "callback"));
        return new TrainerPlugins(accelerator, strategy, all, loggers, profiler);
    }

    /** These plug-ins with exactly these callbacks. */
    public TrainerPlugins withCallbacks(List<? extends Callback> values) {
        return new TrainerPlugins(accelerator, strategy, List.copyOf(values), loggers, profiler);
    }

    /** These plug-ins plus one logger, after the others. */
    public TrainerPlugins withLogger(Logger value) {
        List<Logger> all = new ArrayList<>(loggers);
        all.add(Objects.requireNonNull(value, "logger"));
        return new TrainerPlugins(accelerator, strategy, callbacks, all, profiler);
    }

    /** These plug-ins with exactly these loggers. */
    public TrainerPlugins withLoggers(List<? extends Logger> values) {
        return new TrainerPlugins(accelerator, strategy, callbacks, List.copyOf(values), profiler);
    }

    /** These plug-ins with this profiler, which then wins over the {@code profiler} flag. */
    public TrainerPlugins withProfiler(Profiler value) {
        return new TrainerPlugins(accelerator, strategy, callbacks, loggers, Objects.requireNonNull(value, "profiler"));
    }

    public Optional<Accelerator> accelerator() {
        return Optional.ofNullable(accelerator);
    }

    public Optional<Strategy> strategy() {
        return Optional.ofNullable(strategy);
    }

    public List<Callback> callbacks() {
        return callbacks;
    }

    public List<Logger> loggers() {
        return loggers;
    }

    public Optional<Profiler> profiler() {
        return Optional.ofNullable(profiler);
    }
}
