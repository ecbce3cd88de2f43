package io.torchlight.core.internal.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Predicate;

import io.torchlight.api.Callback;
import io.torchlight.api.CheckpointingCallback;
import io.torchlight.api.ModelSummaryCallback;
import io.torchlight.api.ProgressBarCallback;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.core.internal.TrainerSetup;

/**
 * Plain Java, as Lightning's {@code Trainer()}: the given instances, and for what is not given the defaults that the
 * plug-in jars on the class path declare ({@code META-INF/services}): an accelerator and a strategy by the
 * configured name, a ModelCheckpoint, progress bar and model summary unless switched off, and one logger
 * (TensorBoard, else CSV) unless {@code logger=false}. Inside OSGi a bundle's class loader sees no such
 * declarations, so there only the given instances count.
 */
public final class ClasspathPlugins implements Plugins {

    private static final List<String> LOGGER_PREFERENCE = List.of("tensorboard", "csv");

    private final ClassLoader loader;

    public ClasspathPlugins(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public Accelerator accelerator(TrainerSetup setup) {
        if (setup.instances().accelerator().isPresent()) {
            return Plugins.instances().accelerator(setup);
        }
        String name = setup.config().accelerator();
        List<Accelerator> found = load(Accelerator.class);
        Optional<Accelerator> chosen = found.stream()
                .filter(a -> name.equals("auto") ? a.isAvailable() : PluginRules.answersTo(a, name)).findFirst();
        if (chosen.isEmpty()) {
            throw new TorchlightException("no accelerator" + (name.equals("auto") ? "" : " named '" + name + "'")
                    + " on the class path (found: " + found.stream().map(Accelerator::name).toList() + "): pass one, e.g. "
                    + "TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()), or add io.torchlight.accelerator.cpu");
        }
        return PluginRules.usable(chosen.get(), "");
    }

    @Override
    public Strategy strategy(TrainerSetup setup) {
        if (setup.instances().strategy().isPresent()) {
            return setup.instances().strategy().get();
        }
        String name = PluginRules.strategyName(setup.config());
        List<Strategy> found = load(Strategy.class);
        return found.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new TorchlightException("no strategy named '" + name + "' on the class path (found: "
                        + found.stream().map(Strategy::name).toList() + "): pass one, e.g. new SingleDeviceStrategy(), or add "
                        + "io.torchlight.strategy.single"));
    }

    @Override
    public List<Logger> loggers(TrainerSetup setup) {
        List<Logger> given = setup.instances().loggers();
        if (!given.isEmpty() || !setup.config().logger()) {
            return given;
        }
        List<Logger> found = load(Logger.class);
        for (String name : LOGGER_PREFERENCE) {
            Optional<Logger> logger = found.stream().filter(l -> l.name().equals(name)).findFirst();
            if (logger.isPresent()) {
                return List.of(logger.get());
            }
        }
        return found.isEmpty() ? List.of() : List.of(found.get(0));
    }

    @Override
    public List<Callback> callbacks(TrainerSetup setup) {
        List<Callback> out = new ArrayList<>(setup.instances().callbacks());
        TrainerConfig config = setup.config();
        List<Callback> found = null;
        for (DefaultKind kind : DefaultKind.values()) {
            if (!kind.enabled.test(config) || out.stream().anyMatch(kind.is)) {
                continue;
            }
            if (found == null) {
                found = load(Callback.class);
            }
            found.stream().filter(kind.is).findFirst().ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<Profiler> profiler(TrainerSetup setup) {
        return PluginRules.profiler(setup, setup.config().profiler().isEmpty() ? List.of() : load(Profiler.class),
                "; add io.torchlight.profiler to the class path, or pass one with TrainerPlugins.withProfiler");
    }

    /** The callbacks Lightning's Trainer adds when none of their kind is given, each behind its switch. */
    private enum DefaultKind {
        CHECKPOINTING(c -> c instanceof CheckpointingCallback, TrainerConfig::enableCheckpointing),
        PROGRESS_BAR(c -> c instanceof ProgressBarCallback, TrainerConfig::enableProgressBar),
        MODEL_SUMMARY(c -> c instanceof ModelSummaryCallback, TrainerConfig::enableModelSummary);

        final Predicate<Callback> is;
        final Predicate<TrainerConfig> enabled;

        DefaultKind(Predicate<Callback> is, Predicate<TrainerConfig> enabled) {
            this.is = is;
            this.enabled = enabled;
        }
    }

    private <T> List<T> load(Class<T> type) {
        List<T> out = new ArrayList<>();
        ServiceLoader.load(type, loader).forEach(out::add);
        return out;
    }
}
