package io.torchlight.utils.data;

import java.util.List;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A batch value of the user's own type that holds tensors of its own (a record of token ids and their mask, a graph
 * of node features and edges, ...): {@link Batch#to} moves it with the batch, as Lightning's transfer moves every
 * tensor it finds in a batch's structures.
 */
@ConsumerType
public interface Movable {

    /** This value with its tensors on {@code device}. */
    Movable to(Device device);

    /**
     * The tensors this value holds, in order: the batch size is inferred from the first tensor of a batch that has
     * no tensor of its own (Lightning's {@code extract_batch_size}). None by default, so such a batch's size is
     * given with {@code log(..., batchSize)}.
     */
    default List<Tensor> tensors() {
        return List.of();
    }
}
