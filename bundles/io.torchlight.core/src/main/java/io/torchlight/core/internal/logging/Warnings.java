package io.torchlight.core.internal.logging;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The trainer's warnings about the run itself (Lightning's {@code rank_zero_warn} with its warning cache): each
 * text once per trainer, to every listener (a container run's run.log and console); with no listener, to the
 * platform logger, which prints to the console outside a container.
 */
public final class Warnings {

    private static final System.Logger LOG = System.getLogger("io.torchlight.trainer");

    private final Set<String> given = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public void listen(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Says it, unless this trainer said the same before. */
    public void once(String message) {
        if (!given.add(message)) {
            return;
        }
        if (listeners.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
        listeners.forEach(l -> l.accept(message));
    }
}
