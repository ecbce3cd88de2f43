package io.torchlight.core.internal;

import java.util.List;

/** The logger and callback services present now; the version changes whenever one comes or goes. */
public interface PluginOffers {

    long version();

    List<Offer<io.torchlight.api.logger.Logger>> loggers();

    List<Offer<io.torchlight.api.callback.Callback>> callbacks();
}
