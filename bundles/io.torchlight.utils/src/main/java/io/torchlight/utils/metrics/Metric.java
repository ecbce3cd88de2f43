package io.torchlight.utils.metrics;

import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A metric that accumulates its own state, as a torchmetrics {@code Metric}: its {@code update}/{@code forward}
 * methods (whose arguments depend on the metric) add a batch; {@link #compute()} gives the value over everything since
 * the last {@link #reset()}. Logged with {@code log(name, metric)}, the trainer takes {@link #batchValue()} per step
 * and {@code compute()} per epoch, and resets the metric when that epoch's values are done with.
 */
@ConsumerType
public interface Metric {

    /** The value over every batch since the last reset, as a 0-d tensor on the inputs' device. */
    Tensor compute();

    /** The value of the last batch given to {@code forward} alone; null before the first. */
    Tensor batchValue();

    /** Forgets the state: the next epoch starts from nothing. */
    void reset();
}
