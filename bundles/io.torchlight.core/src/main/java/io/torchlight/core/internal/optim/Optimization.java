package io.torchlight.core.internal.optim;

import io.torchlight.utils.data.Batch;

/** How one training batch is optimized: automatically by the trainer, or manually by the step. */
public interface Optimization {

    /** Runs the batch; returns what the training step(s) returned (for {@code onTrainBatchEnd}). */
    Object run(Batch batch, int batchIdx, boolean lastBatchOfEpoch);

    /**
     * Runs one time split of a batch under truncated back-propagation through time, with the hidden state
     * the previous split returned.
     */
    Object runSplit(Batch split, int batchIdx, boolean lastBatchOfEpoch, Object hiddens);
}
