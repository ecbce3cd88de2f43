package io.torchlight.core.internal.plugins;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LoggerFactory;

import io.torchlight.api.Callback;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerFactory;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSession;
import io.torchlight.core.internal.TrainerSessions;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.torch.TorchRuntime;

/**
 * The {@link TrainerFactory} service: tracks accelerators and strategies as they come and go, and
 * gives each new trainer a snapshot of them.
 */
@Component(service = {TrainerFactory.class, TrainerSessions.class})
public class TrainerFactoryComponent implements TrainerFactory, TrainerSessions, PluginOffers {

    /** Each accelerator service with its {@code service.ranking}. */
    private final Map<Accelerator, Integer> accelerators = new ConcurrentHashMap<>();
    private final Map<ComponentServiceObjects<Strategy>, String> strategies = new ConcurrentHashMap<>();
    private final Map<ComponentServiceObjects<Profiler>, String> profilers = new ConcurrentHashMap<>();
    private final Map<ComponentServiceObjects<Logger>, String> loggers = new ConcurrentHashMap<>();
    private final Map<ComponentServiceObjects<Callback>, String> callbacks = new ConcurrentHashMap<>();

    private final AtomicLong version = new AtomicLong();

    @Reference
    private TorchRuntime runtime;

    @Reference(service = LoggerFactory.class)
    private org.osgi.service.log.Logger log;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAccelerator(Accelerator accelerator, Map<String, Object> properties) {
        accelerators.put(accelerator, properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0);
        changed();
    }

    void removeAccelerator(Accelerator accelerator) {
        accelerators.remove(accelerator);
        changed();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStrategy(ComponentServiceObjects<Strategy> strategy, Map<String, Object> properties) {
        strategies.put(strategy, String.valueOf(properties.get(Strategy.PROPERTY_NAME)));
    }

    void removeStrategy(ComponentServiceObjects<Strategy> strategy) {
        strategies.remove(strategy);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProfiler(ComponentServiceObjects<Profiler> profiler, Map<String, Object> properties) {
        profilers.put(profiler, String.valueOf(properties.get(Profiler.PROPERTY_NAME)));
    }

    void removeProfiler(ComponentServiceObjects<Profiler> profiler) {
        profilers.remove(profiler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addLogger(ComponentServiceObjects<Logger> logger, Map<String, Object> properties) {
        loggers.put(logger, String.valueOf(properties.get(Logger.PROPERTY_NAME)));
        changed();
    }

    void removeLogger(ComponentServiceObjects<Logger> logger) {
        loggers.remove(logger);
        changed();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Callback.PROPERTY_NAME + "=*)")
    void addCallback(ComponentServiceObjects<Callback> callback, Map<String, Object> properties) {
        callbacks.put(callback, String.valueOf(properties.get(Callback.PROPERTY_NAME)));
        changed();
    }

    void removeCallback(ComponentServiceObjects<Callback> callback) {
        callbacks.remove(callback);
        changed();
    }

    @Override
    public long version() {
        return version.get();
    }

    private void changed() {
        synchronized (version) {
            version.incrementAndGet();
            version.notifyAll();
        }
    }

    @Override
    public void awaitChange(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (version) {
            long left;
            while (version.get() == seen && (left = deadline - System.nanoTime()) > 0) {
                version.wait(Math.max(1, left / 1_000_000L));
            }
        }
    }

    @Override
    public List<Accelerator> accelerators() {
        List<Accelerator> ranked = new ArrayList<>(accelerators.keySet());
        ranked.sort(Comparator.comparing((Accelerator a) -> accelerators.getOrDefault(a, 0)).reversed()
                .thenComparing(Accelerator::name));
        return ranked;
    }

    @Override
    public List<Offer<Logger>> loggers() {
        return offers(loggers);
    }

    @Override
    public List<Offer<Callback>> callbacks() {
        return offers(callbacks);
    }

    @Override
    public Trainer create(TrainerConfig config) {
        return session(TrainerSetup.of(config, TrainerPlugins.none())).trainer();
    }

    @Override
    public TrainerSession session(TrainerSetup setup) {
        return DefaultTrainer.open(setup, new ServicePlugins(accelerators(), offers(strategies), offers(profilers), this,
                message -> log.warn(message)), Hooks.HookListener.NONE);
    }

    private static <T> List<Offer<T>> offers(Map<ComponentServiceObjects<T>, String> services) {
        List<Offer<T>> offers = new ArrayList<>();
        services.forEach((objects, name) -> offers.add(new Offer<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Object key() {
                return objects;
            }

            @Override
            public String origin() {
                ServiceReference<T> ref = objects.getServiceReference();
                Bundle b = ref == null ? null : ref.getBundle();
                return name + " (" + (b == null ? "bundle gone" : b.getSymbolicName() + " " + b.getVersion()) + ")";
            }

            @Override
            public boolean registered() {
                ServiceReference<T> ref = objects.getServiceReference();
                return ref != null && ref.getBundle() != null;
            }

            @Override
            public T get() {
                return objects.getService();
            }

            @Override
            public void unget(T instance) {
                objects.ungetService(instance);
            }
        }));
        return offers;
    }
}
