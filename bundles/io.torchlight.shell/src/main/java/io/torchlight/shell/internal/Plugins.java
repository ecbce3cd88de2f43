package io.torchlight.shell.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.torchlight.api.Callback;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.strategy.Strategy;

/** Lists the plug-in services present, by kind, with their bundles. */
final class Plugins {

    private Plugins() {
    }

    /**
     * One line per plug-in service; loggers and callbacks end with the running runs they are attached to
     * ({@code attached to runs 2, 5}).
     */
    static List<String> describe(BundleContext context, RunManager runs) {
        Map<String, List<String>> attachedTo = new HashMap<>();
        for (RunSnapshot run : runs.runs()) {
            for (String plugin : runs.attachedPlugins(run.id())) {
                attachedTo.computeIfAbsent(plugin, p -> new ArrayList<>()).add(run.id());
            }
        }
        BiFunction<String, Object, String> state = (kind, name) -> {
            List<String> ids = attachedTo.get(kind + " " + name);
            return ids == null ? "" : "attached to run" + (ids.size() > 1 ? "s " : " ") + String.join(", ", ids);
        };
        List<String> lines = new ArrayList<>();
        for (ServiceReference<Accelerator> ref : refs(context, Accelerator.class)) {
            Accelerator a = context.getService(ref);
            try {
                lines.add(row("accelerator", ref.getProperty(Accelerator.PROPERTY_NAME), ref,
                        a.isAvailable() ? "available, " + a.deviceCount() + " device(s)"
                                : "unavailable: " + a.unavailableReason().orElse("no reason given")));
            } finally {
                context.ungetService(ref);
            }
        }
        refs(context, Strategy.class).forEach(r -> lines.add(row("strategy", r.getProperty(Strategy.PROPERTY_NAME), r, "")));
        refs(context, Logger.class).forEach(r -> lines.add(row("logger", r.getProperty(Logger.PROPERTY_NAME), r,
                state.apply("logger", r.getProperty(Logger.PROPERTY_NAME)))));
        refs(context, Callback.class).forEach(r -> lines.add(row("callback", r.getProperty(Callback.PROPERTY_NAME), r,
                state.apply("callback", r.getProperty(Callback.PROPERTY_NAME)))));
        return lines;
    }

    private static String row(String kind, Object name, ServiceReference<?> ref, String state) {
        return String.format("%-12s %-16s %s %s%s", kind, name, ref.getBundle().getSymbolicName(), ref.getBundle().getVersion(),
                state.isEmpty() ? "" : "  " + state);
    }

    private static <T> List<ServiceReference<T>> refs(BundleContext context, Class<T> type) {
        try {
            return new ArrayList<>(context.getServiceReferences(type, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
