package io.torchlight.strategy.single;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.junit.Test;

import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.utils.data.Batch;

public class SingleDeviceStrategyTest {

    private static final class Cpu implements Accelerator {
        int setups;

        @Override
        public String name() {
            return "cpu";
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
            return new Device("cpu");
        }

        @Override
        public void setup(Device device) {
            setups++;
        }
    }

    @Test
    public void setsUpTheOneDeviceAndMovesBatchesThere() {
        Cpu cpu = new Cpu();
        SingleDeviceStrategy strategy = new SingleDeviceStrategy();

        strategy.setup(cpu, List.of(0));
        Tensor x = torch.ones(3, 2);
        Batch moved = strategy.batchToDevice(Batch.of(x));

        assertEquals(1, cpu.setups);
        assertEquals("cpu", strategy.rootDevice().str().getString());
        assertTrue(moved.input().equal(x));
        assertEquals(1, strategy.worldSize());
        assertTrue(strategy.isGlobalZero());
        assertEquals(List.of(1L, 3L, 2L), List.of(toBoxed(strategy.allGather(x).sizes().vec().get())));
    }

    @Test
    public void moreThanOneDeviceIsRefusedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SingleDeviceStrategy().setup(new Cpu(), List.of(0, 1)));
        assertTrue(e.getMessage(), e.getMessage().contains("devices=1"));
    }

    private static Long[] toBoxed(long[] values) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
