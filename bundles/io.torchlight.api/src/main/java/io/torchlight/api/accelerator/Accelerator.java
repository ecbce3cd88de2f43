package io.torchlight.api.accelerator;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A kind of device, like Lightning's {@code Accelerator}: says whether it is usable here, how many
 * devices it has, and prepares a device for a run. In the container an accelerator is a service with
 * {@link #PROPERTY_NAME}, e.g. {@code cpu} or {@code cuda}; {@code accelerator=auto} takes the available one with
 * the highest {@code service.ranking}. The trainer learns everything else it needs (the device type for
 * autocast, the precisions it may run) from the accelerator itself, never from its name.
 */
@ConsumerType
public interface Accelerator {

    /** Service property: the accelerator's name ({@link String}). */
    String PROPERTY_NAME = "torchlight.accelerator.name";

    /** The name runs select it by, e.g. {@code cpu}. */
    String name();

    /** The libtorch device type of its devices, e.g. {@code CPU} or {@code CUDA}. */
    DeviceType deviceType();

    /** The precisions runs on it may use; by default everything but float16 mixed precision. */
    default Set<Precision> precisions() {
        return EnumSet.of(Precision.FP32, Precision.FP64, Precision.BF16_MIXED);
    }

    /** Whether it can run anything in this process. */
    boolean isAvailable();

    /** Why it cannot, when {@link #isAvailable()} is false. */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /** How many devices it offers (0 when unavailable). */
    int deviceCount();

    /** The libtorch device with this index. */
    Device device(int index);

    /** Prepares the device for a run (threads, memory). */
    void setup(Device device);

    /** Releases what {@link #setup} took. */
    default void teardown() {
    }

    /** Memory statistics of the device in bytes (name to value), possibly empty. */
    default Map<String, Double> memoryStats(Device device) {
        return Map.of();
    }
}
