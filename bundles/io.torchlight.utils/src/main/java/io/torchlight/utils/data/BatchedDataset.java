package io.torchlight.utils.data;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A dataset that can gather a whole batch at once (one indexed gather per tensor instead of one slice per
 * sample and a stack). {@link DataLoader} uses it when no custom collate function is set.
 */
@ConsumerType
public interface BatchedDataset extends Dataset<Batch> {

    /** The samples at these indices, as one batch in this order. */
    Batch getBatch(long[] indices);
}
