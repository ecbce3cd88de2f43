package io.torchlight.core.internal.plugins;

/** A named plug-in service and how to get (and give back) an instance of it. */
public interface Offer<T> {

    /** The name runs select it by. */
    String name();

    /** The service's identity: the same while the service stays registered. */
    Object key();

    /** Where it comes from, for messages: {@code csv (io.torchlight.logger.csv 0.1.0)}. */
    String origin();

    /** An instance; null when the service went away meanwhile, or its component failed to activate. */
    T get();

    /** Whether the service is still registered (a null {@link #get()} of a gone service is a race, not an error). */
    default boolean registered() {
        return true;
    }

    void unget(T instance);
}
