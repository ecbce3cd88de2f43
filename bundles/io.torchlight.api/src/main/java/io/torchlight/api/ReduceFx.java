package io.torchlight.api;

/** How {@link LightningModule#log} reduces a metric over an epoch. */
public enum ReduceFx {
    /** Mean weighted by batch size (the default). */
    MEAN,
    /** Sum of the logged values. */
    SUM,
    /** Largest logged value. */
    MAX,
    /** Smallest logged value. */
    MIN
}
