package io.torchlight.core.internal.plugins;

import java.util.List;

import io.torchlight.api.Callback;
import io.torchlight.api.logger.Logger;

/** A service registry without logger or callback services, for tests of the other plug-ins. */
final class NoOffers implements PluginOffers {

    static final PluginOffers NONE = new NoOffers();

    private NoOffers() {
    }

    @Override
    public long version() {
        return 0;
    }

    @Override
    public List<Offer<Logger>> loggers() {
        return List.of();
    }

    @Override
    public List<Offer<Callback>> callbacks() {
        return List.of();
    }
}
