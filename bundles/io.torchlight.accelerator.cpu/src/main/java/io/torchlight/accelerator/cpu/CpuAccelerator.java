package io.torchlight.accelerator.cpu;

import java.util.Map;

import org.bytedeco.openblas.global.openblas_full;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;

import io.torchlight.api.accelerator.Accelerator;

/**
 * Accelerator {@code cpu}: one device, always available. Owns the thread settings: libtorch's intra-op
 * threads (0 keeps libtorch's default) and OpenBLAS at one thread, since OpenBLAS's own pool fights
 * libtorch's and can make small models ~40x slower on few cores.
 */
public class CpuAccelerator implements Accelerator {

    /** The accelerator's name. */
    public static final String NAME = "cpu";

    private final int threads;

    /** With libtorch's default intra-op thread count. */
    public CpuAccelerator() {
        this(0);
    }

    /** With this many intra-op threads; 0 keeps libtorch's default. */
    public CpuAccelerator(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("cpu accelerator threads must be >= 0 (0 = libtorch default), got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DeviceType deviceType() {
        return DeviceType.CPU;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int deviceCount() {
        return 1;
    }

    @Override
    public Device device(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("the cpu accelerator has one device (0), not " + index);
        }
        return new Device("cpu");
    }

    @Override
    public void setup(Device device) {
        if (threads > 0) {
            torch.set_num_threads(threads);
        }
        openblas_full.openblas_set_num_threads(1);
    }

    /** The configured intra-op threads (0 = libtorch default). */
    public int threads() {
        return threads;
    }

    /** The thread counts in effect: libtorch intra-op and OpenBLAS. */
    public Map<String, Integer> threadSettings() {
        return Map.of("intraop", torch.get_num_threads(), "openblas", openblas_full.openblas_get_num_threads());
    }
}
