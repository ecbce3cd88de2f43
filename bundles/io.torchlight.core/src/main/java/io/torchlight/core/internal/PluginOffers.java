package io.torchlight.core.internal;

import java.util.List;

/**
 * The accelerator, logger and callback services present now; the version changes whenever one comes or goes.
 */
public interface PluginOffers {

    long version();

    List<Offer<io.torchlight.api.logger.Logger>> loggers();

    List<Offer<io.torchlight.api.Callback>> callbacks();

    /** The accelerator services present now. */
    default List<io.torchlight.api.accelerator.Accelerator> accelerators() {
        return List.of();
    }

    /** Waits until the version differs from {@code seen} or the timeout passes. */
    default void awaitChange(long seen, long timeoutMillis) throws InterruptedException {
        Thread.sleep(timeoutMillis);
    }
}
