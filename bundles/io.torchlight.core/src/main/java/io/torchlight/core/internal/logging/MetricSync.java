package io.torchlight.core.internal.logging;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.strategy.ReduceOp;

/** Reduces a logged value across processes, as the strategy's {@code reduce} does; on one process the value itself. */
@FunctionalInterface
public interface MetricSync {

    MetricSync NONE = (value, op) -> value;

    Tensor reduce(Tensor value, ReduceOp op);
}
