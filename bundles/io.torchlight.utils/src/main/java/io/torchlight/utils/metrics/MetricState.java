package io.torchlight.utils.metrics;

import org.bytedeco.pytorch.Tensor;

/**
 * A tensor a metric keeps across batches: it survives the batch's pointer scope (retained) and is released when
 * replaced or cleared. Accumulating adds in place, so a step allocates nothing that stays.
 */
final class MetricState {

    private Tensor value;

    Tensor get() {
        return value;
    }

    /** Adds {@code delta} (the first time: a copy of it). */
    void accumulate(Tensor delta) {
        if (value == null) {
            set(delta.detach().clone());
        } else {
            value.add_(delta.detach());
        }
    }

    void set(Tensor next) {
        if (value != null) {
            value.releaseReference();
        }
        value = next;
        if (value != null) {
            value.retainReference();
        }
    }

    void clear() {
        set(null);
    }
}
