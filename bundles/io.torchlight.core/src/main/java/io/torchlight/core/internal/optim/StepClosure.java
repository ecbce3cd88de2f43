package io.torchlight.core.internal.optim;

/**
 * The closure handed to {@code optimizerStep}: training step, zero-grad when due, backward. It records
 * whether it ran, the step's output, and whether the step returned no loss (then the update is skipped).
 */
public final class StepClosure implements Runnable {

    /** The closure's body; returns the step output and says whether there was a loss. */
    public interface Body {
        Result run();
    }

    /** What the body produced. */
    public record Result(Object output, boolean hasLoss) {
    }

    private final Body body;
    private Result result;

    public StepClosure(Body body) {
        this.body = body;
    }

    @Override
    public void run() {
        if (result != null) {
            throw new IllegalStateException("the optimizer closure ran twice in one step");
        }
        result = body.run();
    }

    public boolean ran() {
        return result != null;
    }

    /** Whether the step returned null, so nothing should be updated. */
    public boolean skipped() {
        return result == null || !result.hasLoss();
    }

    public Object output() {
        return result == null ? null : result.output();
    }
}
