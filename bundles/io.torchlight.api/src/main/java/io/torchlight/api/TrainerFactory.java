package io.torchlight.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes trainers in the container, resolving the accelerator, strategy, loggers and callbacks a
 * configuration names against the services present.
 */
@ProviderType
public interface TrainerFactory {

    /** A new trainer for this configuration; fails naming the plug-in that is missing. */
    Trainer create(TrainerConfig config);
}
