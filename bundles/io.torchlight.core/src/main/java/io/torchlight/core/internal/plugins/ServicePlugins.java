package io.torchlight.core.internal.plugins;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.torchlight.api.Callback;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.utils.config.ConfigurationException;
import io.torchlight.utils.config.Names;

/**
 * Plug-ins resolved against the services present when a trainer is made: the accelerator by name
 * ({@code auto}: cuda when usable, else cpu), a fresh strategy instance by name ({@code auto}:
 * {@code single_device}); instances in the configuration win. Errors list what is installed.
 */
public final class ServicePlugins implements Plugins {

    private final List<Accelerator> accelerators;
    private final List<Offer<Strategy>> strategies;
    private final List<Offer<Profiler>> profilers;
    private final PluginOffers offers;
    private final Consumer<String> log;
    private final List<String> reported = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> listener = message -> {
    };
    private final List<Runnable> releases = new ArrayList<>();
    private LiveAttachments live;
    private AcceleratorWatch watch;

    /** @param accelerators the installed ones, highest {@code service.ranking} first: {@code auto} takes the first usable */
    ServicePlugins(List<Accelerator> accelerators, List<Offer<Strategy>> strategies, List<Offer<Profiler>> profilers,
            PluginOffers offers, Consumer<String> report) {
        this.accelerators = List.copyOf(accelerators);
        this.strategies = List.copyOf(strategies);
        this.profilers = List.copyOf(profilers);
        this.offers = offers;
        this.log = report;
    }

    /** A warning for the user: to the container's log, and to the run's listener (run.log). */
    private void report(String message) {
        reported.add(message);
        log.accept(message);
        listener.accept(message);
    }

    @Override
    public synchronized void onReport(Consumer<String> value) {
        reported.forEach(value);
        listener = value;
    }

    @Override
    public Accelerator accelerator(TrainerSetup setup) {
        Accelerator chosen = choose(setup);
        if (setup.instances().accelerator().isEmpty()) {
            watch = new AcceleratorWatch(offers, chosen);
        }
        return chosen;
    }

    private Accelerator choose(TrainerSetup setup) {
        if (setup.instances().accelerator().isPresent()) {
            return Plugins.instances().accelerator(setup);
        }
        String name = setup.config().accelerator();
        if (name.equals("auto")) {
            return accelerators.stream().filter(Accelerator::isAvailable).findFirst()
                    .orElseThrow(() -> new TorchlightException("accelerator=auto found no usable accelerator; installed: "
                            + describe()));
        }
        // Lightning 1.6's accelerator="gpu" means the CUDA device type, whatever the accelerator is called
        Accelerator accelerator = accelerators.stream()
                .filter(a -> PluginRules.answersTo(a, name)).findFirst()
                .orElseThrow(() -> new TorchlightException("no accelerator named '" + name + "'; installed: " + describe()));
        return PluginRules.usable(accelerator, " (use accelerator=auto"
                + accelerators.stream().filter(Accelerator::isAvailable).map(a -> " or " + a.name()).collect(Collectors.joining()) + ")");
    }

    @Override
    public Accelerator acceleratorNamed(String name) {
        List<Accelerator> present = offers.accelerators();
        return present.stream().filter(a -> PluginRules.answersTo(a, name)).findFirst()
                .orElseThrow(() -> new TorchlightException("no accelerator named '" + name + "'; installed: "
                        + present.stream().map(Accelerator::name).distinct().sorted().toList()));
    }

    @Override
    public Strategy strategy(TrainerSetup setup) {
        if (setup.instances().strategy().isPresent()) {
            return setup.instances().strategy().get();
        }
        String name = PluginRules.strategyName(setup.config());
        Offer<Strategy> offer = strategies.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new TorchlightException("no strategy named '" + name + "'; installed: "
                        + strategies.stream().map(Offer::name).sorted().toList()));
        Strategy strategy = offer.get();
        releases.add(() -> offer.unget(strategy));
        if (!setup.strategyEnvironment().isEmpty()) {
            strategy.environment(setup.strategyEnvironment());
        }
        return strategy;
    }

    @Override
    public List<Logger> loggers(TrainerSetup setup) {
        warnAbsent(offers.loggers(), setup.loggerSelection(), "logger");
        List<Logger> out = new ArrayList<>(setup.instances().loggers());
        out.addAll(live(setup).initialLoggers());
        return out;
    }

    @Override
    public List<Callback> callbacks(TrainerSetup setup) {
        warnAbsent(offers.callbacks(), setup.callbackSelection(), "callback");
        List<Callback> out = new ArrayList<>(setup.instances().callbacks());
        out.addAll(live(setup).initialCallbacks());
        return out;
    }

    @Override
    public Optional<Profiler> profiler(TrainerSetup setup) {
        if (setup.instances().profiler().isPresent() || setup.config().profiler().isEmpty()) {
            return PluginRules.profiler(setup, List.of(), "");
        }
        // only the profiler asked for is instantiated (each is a prototype service with recording state)
        String name = setup.config().profiler();
        List<Profiler> installed = new ArrayList<>();
        for (Offer<Profiler> offer : profilers) {
            Profiler profiler = offer.name().equals(name) ? offer.get() : null;
            if (profiler != null) {
                installed.add(profiler);
                releases.add(() -> offer.unget(profiler));
            }
        }
        if (installed.isEmpty() && !name.equals("none")) {
            throw new ConfigurationException("profiler=" + name + ": no profiler of that name; installed: "
                    + profilers.stream().map(Offer::name).sorted().toList() + " (the torchlight-core feature installs io.torchlight.profiler)");
        }
        return PluginRules.profiler(setup, installed, "");
    }

    @Override
    public Optional<AcceleratorWatch> acceleratorWatch() {
        return Optional.ofNullable(watch);
    }

    @Override
    public Optional<LiveAttachments> live() {
        return Optional.ofNullable(live);
    }

    private LiveAttachments live(TrainerSetup setup) {
        if (live == null) {
            live = new LiveAttachments(offers, setup.loggerSelection(), setup.callbackSelection(), CallbackSwitches.of(setup.config()),
                    this::report);
        }
        return live;
    }

    /**
     * A selected name with no service yet is not an error (its bundle may start mid-run and join), but it is
     * said, with what is installed. A name one or two letters away from an installed one is a typo, and an
     * error: the run would otherwise go on without, say, its checkpoints.
     */
    private <T> void warnAbsent(List<Offer<T>> available, String selection, String kind) {
        if (selection.isBlank() || selection.equals("*")) {
            return;
        }
        List<String> installed = available.stream().map(Offer::name).sorted().distinct().toList();
        for (String name : selection.split(",")) {
            String wanted = name.trim();
            if (installed.contains(wanted)) {
                continue;
            }
            Optional<String> typo = Names.closest(wanted, installed, 2);
            if (typo.isPresent()) {
                throw new ConfigurationException(kind + "s=" + selection + ": no " + kind + " named '" + wanted
                        + "'; did you mean '" + typo.get() + "'? (installed: " + installed + ")");
            }
            report("no " + kind + " named '" + wanted + "' is installed (installed: " + installed
                    + "); the run starts without it, and it joins if a bundle offering it starts");
        }
    }

    @Override
    public void release() {
        releases.forEach(Runnable::run);
        releases.clear();
        if (live != null) {
            live.releaseAll();
        }
    }

    private String describe() {
        Map<String, String> states = accelerators.stream().sorted(Comparator.comparing(Accelerator::name)).collect(
                Collectors.toMap(Accelerator::name, a -> a.isAvailable() ? "available"
                        : "unavailable: " + a.unavailableReason().orElse("?"), (a, b) -> a, LinkedHashMap::new));
        return states.isEmpty() ? "none" : states.toString();
    }
}
