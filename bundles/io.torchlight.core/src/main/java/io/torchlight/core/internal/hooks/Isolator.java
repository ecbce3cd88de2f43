package io.torchlight.core.internal.hooks;

/** Decides what happens when a plug-in throws: true = it was isolated (reported, detached), go on. */
@FunctionalInterface
public interface Isolator {

    boolean isolate(Object plugin, String what, Throwable error);

    /** Nothing is isolated: every failure fails the run. */
    Isolator NONE = (plugin, what, error) -> false;
}
