package io.torchlight.core.internal.loops;

import java.util.List;

import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * Walks several dataloaders one after the other, each up to its batch limit: where an evaluation or
 * prediction loop is (dataloader, batch) and what comes next.
 */
public final class LoaderCursor {

    private final List<DataLoader> loaders;
    private final List<Integer> limits;
    private int loaderIdx;
    private int batchIdx;
    private DataLoader.BatchIterator batches;

    LoaderCursor(List<DataLoader> loaders, List<Integer> limits) {
        this.loaders = loaders;
        this.limits = limits;
    }

    /** Whether a batch is left; moves on to the next dataloader when one is used up. */
    boolean hasNext() {
        while (loaderIdx < loaders.size()) {
            if (batches == null) {
                batches = loaders.get(loaderIdx).iterator();
                batchIdx = 0;
            }
            if (batchIdx < limits.get(loaderIdx) && batches.hasNext()) {
                return true;
            }
            close();
            loaderIdx++;
        }
        return false;
    }

    /** The next batch; {@link #loader()} and {@link #batch()} say where it came from. */
    Batch next() {
        batchIdx++;
        return batches.next();
    }

    /** The dataloader index of the batch {@link #next()} returned. */
    int loader() {
        return loaderIdx;
    }

    /** The batch index (within its dataloader) of the batch {@link #next()} returned. */
    int batch() {
        return batchIdx - 1;
    }

    /** Stops prefetching from the current dataloader. */
    void close() {
        if (batches != null) {
            batches.close();
            batches = null;
        }
    }
}
