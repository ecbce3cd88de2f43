package io.torchlight.api.optim;

/** When a learning-rate scheduler steps. */
public enum Interval {
    /** After every optimizer step. */
    STEP,
    /** After every training epoch (the default). */
    EPOCH
}
