package io.torchlight.core.internal.plugins;

import java.util.List;

import io.torchlight.api.Callback;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.logger.Logger;

/**
 * The accelerator, logger and callback services present now; the version changes whenever one comes or goes.
 */
public interface PluginOffers {

    long version();

    List<Offer<Logger>> loggers();

    List<Offer<Callback>> callbacks();

    /** The accelerator services present now, the highest {@code service.ranking} first. */
    default List<Accelerator> accelerators() {
        return List.of();
    }

    /** Waits until the version differs from {@code seen} or the timeout passes. */
    default void awaitChange(long seen, long timeoutMillis) throws InterruptedException {
        Thread.sleep(timeoutMillis);
    }
}
