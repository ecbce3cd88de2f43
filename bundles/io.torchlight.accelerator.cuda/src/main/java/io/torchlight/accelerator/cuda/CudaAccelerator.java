package io.torchlight.accelerator.cuda;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.accelerator.Precision;

/**
 * Accelerator {@code cuda}: the NVIDIA GPUs libtorch can use. Where CUDA is not usable (the CPU build of the
 * natives, no driver, no GPU) it is still present, unavailable, and says why, so that {@code tl:plugins} and
 * {@code accelerator=cuda} can tell the user what is missing.
 */
public class CudaAccelerator implements Accelerator {

    /** The accelerator's name. */
    public static final String NAME = "cuda";

    private final int deviceCount;
    private final String unavailableReason;

    /**
     * @param deviceCount       GPUs libtorch sees
     * @param unavailableReason why CUDA cannot be used, or null when it can
     */
    public CudaAccelerator(int deviceCount, String unavailableReason) {
        if (unavailableReason == null && deviceCount < 1) {
            throw new IllegalArgumentException("an available cuda accelerator needs at least one device, not " + deviceCount);
        }
        this.deviceCount = unavailableReason == null ? deviceCount : 0;
        this.unavailableReason = unavailableReason;
    }

    /** What libtorch in this process says. */
    public static CudaAccelerator probe() {
        if (!torch.cuda_is_available()) {
            return new CudaAccelerator(0, "libtorch reports CUDA unusable (CPU build of the natives, or no NVIDIA driver or GPU)");
        }
        return new CudaAccelerator(torch.cuda_device_count(), null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DeviceType deviceType() {
        return DeviceType.CUDA;
    }

    /** Every precision: float16 autocast with a gradient scaler is a GPU feature. */
    @Override
    public Set<Precision> precisions() {
        return EnumSet.allOf(Precision.class);
    }

    @Override
    public boolean isAvailable() {
        return unavailableReason == null;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailableReason);
    }

    @Override
    public int deviceCount() {
        return deviceCount;
    }

    @Override
    public Device device(int index) {
        if (!isAvailable()) {
            throw new TorchlightException("accelerator cuda is not available: " + unavailableReason);
        }
        if (index < 0 || index >= deviceCount) {
            throw new TorchlightException("accelerator cuda has no device " + index + " (it has " + deviceCount + ")");
        }
        return new Device("cuda:" + index);
    }

    @Override
    public void setup(Device device) {
        if (!isAvailable()) {
            throw new TorchlightException("accelerator cuda is not available: " + unavailableReason);
        }
    }
}
