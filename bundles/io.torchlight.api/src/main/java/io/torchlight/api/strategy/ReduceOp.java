package io.torchlight.api.strategy;

/** How values from several processes are combined. */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN
}
