package io.torchlight.core.internal.plugins;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;

/**
 * Keeps a run on an accelerator service that may go away. Checked at step boundaries on the training thread:
 * when the run's accelerator service has gone, the run pauses there (its model, optimizer and loop state stay
 * in memory) until an available accelerator of the same name is registered again, then continues on it.
 */
public final class AcceleratorWatch {

    private static final long WAKE_MILLIS = 250;

    private final PluginOffers offers;
    private final String name;
    private Accelerator current;
    private long seen;

    AcceleratorWatch(PluginOffers offers, Accelerator chosen) {
        this.offers = offers;
        this.name = chosen.name();
        this.current = chosen;
        this.seen = offers.version();
    }

    /**
     * The accelerator to go on with: the current one while its service is present, otherwise (after pausing,
     * reported through {@code pause} with a reason, then with null on resuming) the one that replaced it. A stop
     * request ends the pause and keeps the current accelerator, so the run can end at this boundary.
     */
    public Accelerator check(BooleanSupplier stopRequested, Consumer<String> pause) {
        long version = offers.version();
        if (version == seen) {
            return current;
        }
        seen = version;
        if (offers.accelerators().contains(current)) {
            return current;
        }
        Optional<Accelerator> next = find();
        if (next.isEmpty()) {
            pause.accept("waiting for an accelerator: " + name + " went away (install or start its bundle again)");
            try {
                while (true) {
                    long before = offers.version();
                    next = find();
                    if (next.isPresent() || stopRequested.getAsBoolean()) {
                        break;
                    }
                    offers.awaitChange(before, WAKE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TorchlightException("interrupted while waiting for accelerator " + name, e);
            } finally {
                pause.accept(null);
            }
        }
        seen = offers.version();
        next.ifPresent(a -> current = a);
        return current;
    }

    private Optional<Accelerator> find() {
        return offers.accelerators().stream().filter(a -> a.name().equals(name) && a.isAvailable()).findFirst();
    }
}
