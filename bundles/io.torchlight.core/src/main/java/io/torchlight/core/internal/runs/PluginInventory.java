package io.torchlight.core.internal.runs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.torchlight.api.Callback;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.run.PluginInfo;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.strategy.Strategy;

/** The plug-in services in the framework now, by kind, with their bundles and the runs they are attached to. */
final class PluginInventory {

    private final BundleContext context;

    PluginInventory(BundleContext context) {
        this.context = context;
    }

    List<PluginInfo> list(RunManager runs) {
        Map<String, List<String>> attached = new HashMap<>();
        for (RunSnapshot run : runs.runs()) {
            for (String plugin : runs.attachedPlugins(run.id())) {
                attached.computeIfAbsent(plugin, p -> new ArrayList<>()).add(run.id());
            }
        }
        List<PluginInfo> out = new ArrayList<>();
        for (ServiceReference<Accelerator> ref : refs(Accelerator.class)) {
            Accelerator accelerator = context.getService(ref);
            if (accelerator == null) {
                continue; // went away meanwhile
            }
            try {
                String availability = accelerator.isAvailable() ? "available, " + accelerator.deviceCount() + " device(s)"
                        : "unavailable: " + accelerator.unavailableReason().orElse("no reason given");
                out.add(info("accelerator", ref, Accelerator.PROPERTY_NAME, availability, List.of()));
            } finally {
                context.ungetService(ref);
            }
        }
        refs(Strategy.class).forEach(r -> out.add(info("strategy", r, Strategy.PROPERTY_NAME, null, List.of())));
        for (ServiceReference<Logger> ref : refs(Logger.class)) {
            out.add(info("logger", ref, Logger.PROPERTY_NAME, null,
                    attached.getOrDefault("logger " + ref.getProperty(Logger.PROPERTY_NAME), List.of())));
        }
        for (ServiceReference<Callback> ref : refs(Callback.class)) {
            out.add(info("callback", ref, Callback.PROPERTY_NAME, null,
                    attached.getOrDefault("callback " + ref.getProperty(Callback.PROPERTY_NAME), List.of())));
        }
        return out;
    }

    private static PluginInfo info(String kind, ServiceReference<?> ref, String nameProperty, String availability,
            List<String> attachedTo) {
        return new PluginInfo(kind, String.valueOf(ref.getProperty(nameProperty)), ref.getBundle().getSymbolicName(),
                ref.getBundle().getVersion().toString(), availability, attachedTo);
    }

    private <T> List<ServiceReference<T>> refs(Class<T> type) {
        try {
            return new ArrayList<>(context.getServiceReferences(type, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IllegalStateException e) {
            return List.of(); // the bundle is stopping
        }
    }
}
