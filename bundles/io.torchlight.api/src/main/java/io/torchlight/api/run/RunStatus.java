package io.torchlight.api.run;

import java.util.Locale;

/** Where a run is in its life. */
public enum RunStatus {
    /** Accepted, waiting for a free run thread. */
    QUEUED,
    /** Training or evaluating. */
    RUNNING,
    /**
     * Holding its state in memory at a step boundary until an accelerator is present again (its own went away);
     * the reason says which.
     */
    PAUSED,
    /** Finished normally. */
    COMPLETED,
    /** Ended by an error; the reason says which. */
    FAILED,
    /** Ended on request or because its module went away; the reason says which. */
    STOPPED;

    /** Whether the run has ended. */
    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == STOPPED;
    }

    /** Lower-case name for display. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
