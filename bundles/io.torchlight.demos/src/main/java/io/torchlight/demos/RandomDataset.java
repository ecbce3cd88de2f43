package io.torchlight.demos;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.BatchedDataset;

/** {@code length} samples of {@code size} standard-normal values, drawn once from libtorch's generator. */
public final class RandomDataset implements BatchedDataset {

    private final Tensor data;

    public RandomDataset(int size, int length) {
        this.data = torch.randn(length, size);
    }

    @Override
    public long size() {
        return data.size(0);
    }

    @Override
    public Batch get(long index) {
        return Batch.of(data.select(0, index));
    }

    @Override
    public Batch getBatch(long[] indices) {
        return Batch.of(data.index_select(0, torch.tensor(indices)));
    }
}
