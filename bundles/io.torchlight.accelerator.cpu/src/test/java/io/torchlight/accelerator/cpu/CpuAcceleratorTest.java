package io.torchlight.accelerator.cpu;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.EnumSet;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.junit.Test;

import io.torchlight.api.accelerator.Precision;

public class CpuAcceleratorTest {

    @Test
    public void setupAppliesThreadsAndKeepsOpenBlasSingleThreaded() {
        CpuAccelerator cpu = new CpuAccelerator(1);
        Device device = cpu.device(0);

        cpu.setup(device);

        assertTrue(cpu.isAvailable());
        assertEquals(1, cpu.deviceCount());
        assertEquals("cpu", device.str().getString());
        assertEquals(Integer.valueOf(1), cpu.threadSettings().get("intraop"));
        assertEquals(Integer.valueOf(1), cpu.threadSettings().get("openblas"));
    }

    @Test
    public void badSettingsAreNamed() {
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class, () -> new CpuAccelerator(-2));
        assertTrue(threads.getMessage().contains("threads"));
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class, () -> new CpuAccelerator().device(1));
        assertTrue(device.getMessage().contains("one device"));
    }

    @Test
    public void declaresTheCpuDeviceTypeAndThePrecisionsWithoutAGradientScaler() {
        CpuAccelerator cpu = new CpuAccelerator();

        assertEquals(DeviceType.CPU, cpu.deviceType());
        assertEquals(EnumSet.of(Precision.FP32, Precision.FP64, Precision.BF16_MIXED), cpu.precisions());
    }
}
