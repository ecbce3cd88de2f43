package io.torchlight.utils.data;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Samples given as tensors sharing dimension 0, like {@code torch.utils.data.TensorDataset}. Whole batches
 * are gathered with one {@code index_select} per tensor, or taken as a view when the indices are
 * consecutive (unshuffled loading).
 */
public final class TensorDataset implements BatchedDataset {

    private final Tensor[] tensors;
    private final long size;

    /** A dataset over these tensors; each must have the same size in dimension 0. */
    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("a TensorDataset needs at least one tensor");
        }
        this.size = tensors[0].size(0);
        for (int i = 1; i < tensors.length; i++) {
            if (tensors[i].size(0) != size) {
                throw new IllegalArgumentException("tensor " + i + " has " + tensors[i].size(0)
                        + " samples in dimension 0, tensor 0 has " + size);
            }
        }
        this.tensors = tensors.clone();
    }

    private static boolean contiguous(long[] indices) {
        for (int i = 1; i < indices.length; i++) {
            if (indices[i] != indices[0] + i) {
                return false;
            }
        }
        return indices.length > 0;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Batch get(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("dataset has " + size + " samples, no index " + index);
        }
        Tensor[] sample = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            sample[i] = tensors[i].select(0, index);
        }
        return Batch.of(sample);
    }

    /** One batch; runs for every batch, so plain loops rather than streams. */
    @Override
    public Batch getBatch(long[] indices) {
        Tensor[] batch = new Tensor[tensors.length];
        if (contiguous(indices)) {
            // an unshuffled batch is a view: no copy at all
            for (int i = 0; i < tensors.length; i++) {
                batch[i] = tensors[i].narrow(0, indices[0], indices.length);
            }
        } else {
            Tensor index = torch.tensor(indices);
            for (int i = 0; i < tensors.length; i++) {
                batch[i] = tensors[i].index_select(0, index);
            }
        }
        return Batch.of(batch);
    }
}
