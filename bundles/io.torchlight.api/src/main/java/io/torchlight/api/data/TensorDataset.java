package io.torchlight.api.data;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Samples given as tensors sharing dimension 0, like {@code torch.utils.data.TensorDataset}. Whole batches
 * are gathered with one {@code index_select} per tensor, or taken as a view when the indices are
 * consecutive (unshuffled loading).
 */
public final class TensorDataset implements BatchedDataset {

    private final List<Tensor> tensors;
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
        this.tensors = List.of(tensors);
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
        return Batch.of(tensors.stream().map(t -> t.select(0, index)).toList());
    }

    @Override
    public Batch getBatch(long[] indices) {
        if (contiguous(indices)) {
            // an unshuffled batch is a view: no copy at all
            return Batch.of(tensors.stream().map(t -> t.narrow(0, indices[0], indices.length)).toList());
        }
        Tensor index = torch.tensor(indices);
        return Batch.of(tensors.stream().map(t -> t.index_select(0, index)).toList());
    }
}
