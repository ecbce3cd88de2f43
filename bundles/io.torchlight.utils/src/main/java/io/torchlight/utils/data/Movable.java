package io.torchlight.utils.data;

import org.bytedeco.pytorch.Device;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A batch value of the user's own type that holds tensors of its own: {@link Batch#to} moves it with the batch, as
 * Lightning's transfer moves every tensor it finds in a batch's structures.
 */
@ConsumerType
public interface Movable {

    /** This value with its tensors on {@code device}. */
    Movable to(Device device);
}
