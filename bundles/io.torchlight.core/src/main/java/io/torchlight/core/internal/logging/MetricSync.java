package io.torchlight.core.internal.logging;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.strategy.ReduceOp;

/** Reduces a logged value across processes, as the strategy's {@code reduce} does; on one process the value itself. */
public interface MetricSync {

    MetricSync NONE = new MetricSync() {
        @Override
        public Tensor reduce(Tensor value, ReduceOp op, List<Integer> group) {
            return value;
        }

        @Override
        public boolean active() {
            return false;
        }
    };

    /** Reduces over the processes of {@code group} (global ranks; empty: all of them). */
    Tensor reduce(Tensor value, ReduceOp op, List<Integer> group);

    /** Whether there are other processes to reduce with (on one, values are read as they are, at no cost). */
    boolean active();
}
