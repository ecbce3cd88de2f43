package io.torchlight.api.optim;

import org.bytedeco.pytorch.Optimizer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A libtorch optimizer as the trainer runs it, like Lightning's {@code LightningOptimizer}: stepping
 * through it keeps the trainer's hooks, precision handling and step counting in place.
 */
@ProviderType
public interface LightningOptimizer {

    /** The wrapped libtorch optimizer. */
    Optimizer optimizer();

    /** Its position in what {@code configureOptimizers} returned. */
    int index();

    /**
     * Runs the closure (training step, zero-grad, backward), then {@code onBeforeOptimizerStep} and
     * gradient clipping, then the parameter update; the update is skipped when the closure produced no
     * loss (a step that returned null).
     */
    void step(Runnable closure);

    /** Updates the parameters from their current gradients (manual optimization). */
    void step();

    /** Clears the gradients of this optimizer's parameters. */
    void zeroGrad();

    /** The learning rate of parameter group {@code group}. */
    double lr(int group);

    /** The number of parameter groups. */
    int groups();
}
