package io.torchlight.core.internal.checkpoint;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Optimizer;

/**
 * An optimizer's state on another device: libtorch's own archive of the optimizer (every state tensor and the
 * param groups' options) read back with the device as its map location, so no optimizer type is special-cased.
 */
public final class OptimizerRelocation {

    private OptimizerRelocation() {
    }

    /** The optimizer's state as archive bytes; fails for what libtorch cannot archive (LBFGS after it stepped). */
    public static byte[] archive(Optimizer optimizer) {
        return OptimizerArchives.bytes(optimizer);
    }

    /** Loads {@link #archive} bytes into the optimizer with every state tensor on {@code device}. */
    public static void load(Optimizer optimizer, byte[] archive, Device device) {
        optimizer.load(read(archive, device));
    }

    /** The archive with every tensor in it on {@code device}. */
    static InputArchive read(byte[] archive, Device device) {
        try (BytePointer data = new BytePointer(archive); DeviceOptional where = new DeviceOptional(device)) {
            InputArchive in = new InputArchive();
            in.load_from(data, archive.length, where);
            return in;
        }
    }
}
