package io.torchlight.core.internal.logging;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.strategy.ReduceOp;

/** Reduces a logged value across processes, as the strategy's {@code reduce} does; on one process the value itself. */
public interface MetricSync {

    MetricSync NONE = new MetricSync() {
        @Override
        public Tensor reduce(Tensor value, ReduceOp op) {
            return value;
        }

        @Override
        public boolean active() {
            return false;
        }
    };

    Tensor reduce(Tensor value, ReduceOp op);

    /** Whether there are other processes to reduce with (on one, values are read as they are, at no cost). */
    boolean active();
}
