package io.torchlight.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.callback.Callback;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.strategy.Strategy;

/**
 * Plug-ins resolved against the services present when a trainer is made: the accelerator by name
 * ({@code auto}: cuda when usable, else cpu), a fresh strategy instance by name ({@code auto}:
 * {@code single_device}); instances in the configuration win. Errors list what is installed.
 */
final class ServicePlugins implements Plugins {

    /** A named service and how to get (and give back) an instance of it. */
    interface Offer<T> {
        String name();

        T get();

        void unget(T instance);
    }

    private final List<Accelerator> accelerators;
    private final List<Offer<Strategy>> strategies;
    private final List<Offer<Logger>> loggers;
    private final List<Offer<Callback>> callbacks;
    private final List<Runnable> releases = new ArrayList<>();

    ServicePlugins(List<Accelerator> accelerators, List<Offer<Strategy>> strategies, List<Offer<Logger>> loggers,
            List<Offer<Callback>> callbacks) {
        this.accelerators = List.copyOf(accelerators);
        this.strategies = List.copyOf(strategies);
        this.loggers = List.copyOf(loggers);
        this.callbacks = List.copyOf(callbacks);
    }

    @Override
    public Accelerator accelerator(TrainerConfig config) {
        if (config.acceleratorInstance() != null) {
            return Plugins.fromConfig().accelerator(config);
        }
        String name = config.accelerator();
        if (name.equals("auto")) {
            return accelerators.stream().filter(a -> a.name().equals("cuda") && a.isAvailable()).findFirst()
                    .or(() -> accelerators.stream().filter(a -> a.name().equals("cpu") && a.isAvailable()).findFirst())
                    .orElseThrow(() -> new TorchlightException("accelerator=auto found no usable accelerator; installed: "
                            + describe()));
        }
        Accelerator accelerator = accelerators.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new TorchlightException("no accelerator named '" + name + "'; installed: " + describe()));
        if (!accelerator.isAvailable()) {
            throw new TorchlightException("accelerator " + name + " is not available: "
                    + accelerator.unavailableReason().orElse("no reason given") + " (use accelerator=cpu or auto)");
        }
        return accelerator;
    }

    @Override
    public Strategy strategy(TrainerConfig config) {
        if (config.strategyInstance() != null) {
            return config.strategyInstance();
        }
        String name = config.strategy().equals("auto") ? "single_device" : config.strategy();
        Offer<Strategy> offer = strategies.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new TorchlightException("no strategy named '" + name + "'; installed: "
                        + strategies.stream().map(Offer::name).sorted().toList()));
        Strategy strategy = offer.get();
        releases.add(() -> offer.unget(strategy));
        return strategy;
    }

    @Override
    public List<Logger> loggers(TrainerConfig config) {
        List<Logger> out = new ArrayList<>(config.loggers());
        out.addAll(select(loggers, config.loggerSelection(), "logger"));
        return out;
    }

    @Override
    public List<Callback> callbacks(TrainerConfig config) {
        List<Callback> out = new ArrayList<>(config.callbacks());
        out.addAll(select(callbacks, config.callbackSelection(), "callback"));
        return out;
    }

    /** Fresh instances of the services a selection names ({@code *} = all, empty = none). */
    private <T> List<T> select(List<Offer<T>> offers, String selection, String kind) {
        List<T> out = new ArrayList<>();
        if (selection.isBlank()) {
            return out;
        }
        List<Offer<T>> chosen = new ArrayList<>();
        if (selection.equals("*")) {
            offers.stream().sorted(Comparator.comparing(Offer::name)).forEach(chosen::add);
        } else {
            for (String name : selection.split(",")) {
                String wanted = name.trim();
                chosen.add(offers.stream().filter(o -> o.name().equals(wanted)).findFirst()
                        .orElseThrow(() -> new TorchlightException("no " + kind + " named '" + wanted + "'; installed: "
                                + offers.stream().map(Offer::name).sorted().toList())));
            }
        }
        for (Offer<T> offer : chosen) {
            T instance = offer.get();
            releases.add(() -> offer.unget(instance));
            out.add(instance);
        }
        return out;
    }

    @Override
    public void release() {
        releases.forEach(Runnable::run);
        releases.clear();
    }

    private String describe() {
        Map<String, String> states = accelerators.stream().sorted(Comparator.comparing(Accelerator::name)).collect(
                Collectors.toMap(Accelerator::name, a -> a.isAvailable() ? "available"
                        : "unavailable: " + a.unavailableReason().orElse("?"), (a, b) -> a, java.util.LinkedHashMap::new));
        return states.isEmpty() ? "none" : states.toString();
    }
}
