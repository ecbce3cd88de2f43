package io.torchlight.core.internal.optim;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.TorchlightException;

/**
 * The closure handed to {@code optimizerStep}: training step, zero-grad when due, backward. It records
 * whether it ran, the step's output, and whether the step returned no loss (then the update is skipped).
 */
public final class StepClosure implements Runnable {

    /** The closure's body; returns the step output and says whether there was a loss. */
    public interface Body {
        Result run();
    }

    /** What the body produced: the step's output and the loss it back-propagated (null when the step gave none). */
    public record Result(Object output, Tensor loss) {

        public boolean hasLoss() {
            return loss != null;
        }
    }

    private final String module;
    private final Body body;
    private Result result;

    /** @param module the module's name, for errors */
    public StepClosure(String module, Body body) {
        this.module = module;
        this.body = body;
    }

    @Override
    public void run() {
        if (result != null) {
            throw new IllegalStateException("the optimizer closure ran twice in one step");
        }
        result = body.run();
    }

    /**
     * Runs the body for an optimizer that evaluates the closure itself; returns the loss, or null where the step
     * returned none (then nothing may be updated).
     */
    public Tensor evaluate() {
        result = body.run();
        return result.loss();
    }

    /**
     * Runs the body again, for an optimizer that evaluates its closure several times in one step (LBFGS, as
     * PyTorch's {@code optimizer.step(closure)}); returns the loss, which such an optimizer needs.
     */
    public Tensor reevaluate() {
        result = body.run();
        if (!result.hasLoss()) {
            throw new TorchlightException(module + ".trainingStep returned no loss, but an optimizer that evaluates its "
                    + "closure (LBFGS) needs one at every call");
        }
        return result.loss();
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
