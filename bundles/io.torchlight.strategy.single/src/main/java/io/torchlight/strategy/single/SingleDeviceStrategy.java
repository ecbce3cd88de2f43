package io.torchlight.strategy.single;

import java.util.List;

import org.bytedeco.pytorch.Device;

import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.strategy.Strategy;

/** Strategy {@code single_device}: one process training on one device of the chosen accelerator. */
public class SingleDeviceStrategy implements Strategy {

    /** The strategy's name. */
    public static final String NAME = "single_device";

    private volatile Accelerator accelerator;
    private volatile Device device;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void setup(Accelerator value, List<Integer> devices) {
        if (devices.size() != 1) {
            throw new IllegalArgumentException("single_device trains on exactly one device, got " + devices
                    + ": use devices=1 or a multi-device strategy");
        }
        accelerator = value;
        device = value.device(devices.get(0));
        value.setup(device);
    }

    @Override
    public Device rootDevice() {
        Device d = device;
        if (d == null) {
            throw new IllegalStateException("single_device strategy is not set up");
        }
        return d;
    }

    @Override
    public void teardown() {
        Accelerator a = accelerator;
        if (a != null) {
            a.teardown();
        }
    }
}
