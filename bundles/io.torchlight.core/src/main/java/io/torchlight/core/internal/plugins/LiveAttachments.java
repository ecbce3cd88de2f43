package io.torchlight.core.internal.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.torchlight.api.Callback;
import io.torchlight.api.Configured;
import io.torchlight.api.logger.Logger;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.logging.LoggerConnector;
import io.torchlight.utils.checkpoint.CheckpointException;
import io.torchlight.utils.config.ConfigurationException;

/**
 * The logger and callback services a run selected, kept in step with the registry at step boundaries on
 * the training thread: a selected service that appears joins (a logger first gets the hyperparameters),
 * one that goes away is finalized and dropped. Attached plug-ins are isolated: one that throws is
 * reported once, with its name and bundle, and detached; the run goes on.
 */
public final class LiveAttachments {

    private record Attached<T>(Offer<T> offer, T instance) {
    }

    private final PluginOffers offers;
    private final String loggerSelection;
    private final String callbackSelection;
    private final Consumer<String> report;
    private final Map<Object, Attached<Logger>> loggers = new LinkedHashMap<>();
    private final Map<Object, Attached<Callback>> callbacks = new LinkedHashMap<>();
    private final Set<Object> failed = new HashSet<>();
    /** Callback services this run's switches turn off (e.g. the progress bar with enableProgressBar=false). */
    private final Set<Object> declined = new HashSet<>();
    private final Predicate<Callback> admitted;
    private long seen = -1;
    /** What is attached, for other threads: rebuilt on the training thread after every change. */
    private volatile List<String> attached = List.of();

    LiveAttachments(PluginOffers offers, String loggerSelection, String callbackSelection,
            Predicate<Callback> admitted, Consumer<String> report) {
        this.offers = offers;
        this.admitted = admitted;
        this.loggerSelection = loggerSelection;
        this.callbackSelection = callbackSelection;
        this.report = report;
    }

    /** The first selection, when the trainer is made. */
    List<Logger> initialLoggers() {
        seen = offers.version();
        List<Logger> out = new ArrayList<>();
        for (Offer<Logger> offer : select(offers.loggers(), loggerSelection)) {
            Logger l = instance(offer, "logger");
            if (l != null) {
                loggers.put(offer.key(), new Attached<>(offer, l));
                out.add(l);
            }
        }
        publish();
        return out;
    }

    List<Callback> initialCallbacks() {
        List<Callback> out = new ArrayList<>();
        for (Offer<Callback> offer : select(offers.callbacks(), callbackSelection)) {
            Callback c = admit(offer);
            if (c != null) {
                out.add(c);
            }
        }
        publish();
        return out;
    }

    /** The attached plug-ins as {@code logger csv}, {@code callback progress_bar}; safe from any thread. */
    public List<String> attached() {
        return attached;
    }

    private void publish() {
        List<String> names = new ArrayList<>();
        loggers.values().forEach(a -> names.add("logger " + a.offer().name()));
        callbacks.values().forEach(a -> names.add("callback " + a.offer().name()));
        attached = List.copyOf(names);
    }

    /** Gets the callback service's instance and keeps it, or gives it back when this run's switches turn it off. */
    private Callback admit(Offer<Callback> offer) {
        Callback c = instance(offer, "callback");
        if (c == null) {
            return null;
        }
        if (!admitted.test(c)) {
            declined.add(offer.key());
            offer.unget(c);
            return null;
        }
        callbacks.put(offer.key(), new Attached<>(offer, c));
        return c;
    }

    /** Where an attached plug-in comes from, or null for one given as an instance. */
    String originOf(Object plugin) {
        for (Attached<?> a : loggers.values()) {
            if (a.instance() == plugin) {
                return a.offer().origin();
            }
        }
        for (Attached<?> a : callbacks.values()) {
            if (a.instance() == plugin) {
                return a.offer().origin();
            }
        }
        return null;
    }

    /** Applies registry changes; called on the training thread between steps. */
    public void sync(LoggerConnector logging, Hooks hooks, Path runDir, Map<String, Object> hparams) {
        long version = offers.version();
        if (version == seen) {
            return;
        }
        seen = version;
        List<Offer<Logger>> wantedLoggers = select(offers.loggers(), loggerSelection);
        for (Object key : new ArrayList<>(loggers.keySet())) {
            if (wantedLoggers.stream().noneMatch(o -> o.key() == key)) {
                Attached<Logger> gone = loggers.remove(key);
                logging.detach(gone.instance(), "detached");
                release(gone);
            }
        }
        for (Offer<Logger> offer : wantedLoggers) {
            if (!loggers.containsKey(offer.key()) && !failed.contains(offer.key())) {
                Logger logger = instance(offer, "logger");
                if (logger != null) {
                    loggers.put(offer.key(), new Attached<>(offer, logger));
                    logging.attach(logger, runDir, hparams);
                }
            }
        }
        List<Offer<Callback>> wantedCallbacks = select(offers.callbacks(), callbackSelection);
        for (Object key : new ArrayList<>(callbacks.keySet())) {
            if (wantedCallbacks.stream().noneMatch(o -> o.key() == key)) {
                Attached<Callback> gone = callbacks.remove(key);
                hooks.detach(gone.instance());
                release(gone);
            }
        }
        for (Offer<Callback> offer : wantedCallbacks) {
            if (!callbacks.containsKey(offer.key()) && !failed.contains(offer.key()) && !declined.contains(offer.key())) {
                Callback callback = admit(offer);
                if (callback != null) {
                    hooks.attach(callback);
                }
            }
        }
        publish();
    }

    /**
     * The service's instance, or null when it went away meanwhile (it is synced again at the next step). A
     * component that failed to activate, or one whose configuration is invalid, is a run error, not a plug-in
     * left out silently.
     */
    private static <T> T instance(Offer<T> offer, String kind) {
        T instance = offer.get();
        if (instance == null && !offer.registered()) {
            return null;
        }
        if (instance == null) {
            throw new ConfigurationException(kind + " " + offer.origin() + " could not be created: its component failed to "
                    + "activate (the container's log has the exception); fix or remove its bundle, or leave it out of this run's "
                    + kind + "s= selection");
        }
        if (instance instanceof Configured configured) {
            Optional<ConfigurationException> problem = configured.configurationProblem();
            if (problem.isPresent()) {
                offer.unget(instance);
                throw problem.get();
            }
        }
        return instance;
    }

    /**
     * A plug-in threw: reported once and dropped from this run; false when it is not an attached service, and
     * for failures that must end the run (an invalid configuration, a checkpoint that could not be written or
     * read), since going on without the plug-in would lose data silently.
     */
    public boolean isolate(Object plugin, String what, Throwable error) {
        if (error instanceof ConfigurationException || error instanceof CheckpointException) {
            return false;
        }
        for (Map<Object, ? extends Attached<?>> map : List.of(loggers, callbacks)) {
            for (Map.Entry<Object, ? extends Attached<?>> e : map.entrySet()) {
                if (e.getValue().instance() == plugin) {
                    failed.add(e.getKey());
                    report.accept(e.getValue().offer().origin() + " failed in " + what + " and was detached from this run: " + error);
                    Attached<?> gone = map.remove(e.getKey());
                    release(gone);
                    publish();
                    return true;
                }
            }
        }
        return false;
    }

    /** Gives every attached instance back. */
    void releaseAll() {
        loggers.values().forEach(this::release);
        callbacks.values().forEach(this::release);
        loggers.clear();
        callbacks.clear();
        publish();
    }

    @SuppressWarnings("unchecked")
    private <T> void release(Attached<T> a) {
        try {
            ((Offer<Object>) (Offer<?>) a.offer()).unget(a.instance());
        } catch (RuntimeException ignored) {
            // the service is gone with its bundle: nothing to give back
        }
    }

    private <T> List<Offer<T>> select(List<Offer<T>> available, String selection) {
        List<Offer<T>> out = new ArrayList<>();
        if (selection.isBlank()) {
            return out;
        }
        if (selection.equals("*")) {
            available.stream().sorted(Comparator.comparing(Offer::name)).forEach(out::add);
            return out;
        }
        for (String name : selection.split(",")) {
            available.stream().filter(o -> o.name().equals(name.trim())).findFirst().ifPresent(out::add);
        }
        return out;
    }
}
