package io.torchlight.core.internal;

/** Makes trainers for the runs layer: the core-internal side of the {@code TrainerFactory} service. */
public interface TrainerSessions {

    /** A trainer whose plug-ins are the setup's instances plus the services it selects. */
    TrainerSession session(TrainerSetup setup);
}
