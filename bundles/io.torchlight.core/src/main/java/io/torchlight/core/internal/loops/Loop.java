package io.torchlight.core.internal.loops;

/**
 * The one loop template, like Lightning's {@code Loop}: {@code reset}, {@code onRunStart}, then
 * {@code advance} until {@code done}, then {@code onRunEnd}; {@code cleanup} always.
 */
public abstract class Loop<T> {

    /** Runs the loop to completion and returns its result. */
    public final T run() {
        reset();
        try {
            onRunStart();
            while (!done()) {
                advance();
            }
            return onRunEnd();
        } finally {
            cleanup();
        }
    }

    /** Called after the run whether it ended normally or by an error: restore global state here. */
    protected void cleanup() {
    }

    /** Prepares the loop's state for a run. */
    protected abstract void reset();

    /** Called once before the first advance. */
    protected void onRunStart() {
    }

    /** Whether the loop has nothing more to do. */
    protected abstract boolean done();

    /** One unit of work: a batch, or an epoch. */
    protected abstract void advance();

    /** Called once after the last advance; produces the result. */
    protected abstract T onRunEnd();
}
