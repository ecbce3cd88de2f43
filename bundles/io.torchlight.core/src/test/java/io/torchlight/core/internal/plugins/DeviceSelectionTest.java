package io.torchlight.core.internal.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Optional;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.junit.Test;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.core.internal.TrainerSetup;

/** Lightning's devices flag, and which accelerator accelerator=auto takes. */
public class DeviceSelectionTest {

    private static Accelerator accelerator(String name, int devices, String unavailable) {
        return new Accelerator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public DeviceType deviceType() {
                return name.equals("cuda") ? DeviceType.CUDA : DeviceType.CPU;
            }

            @Override
            public boolean isAvailable() {
                return unavailable == null;
            }

            @Override
            public Optional<String> unavailableReason() {
                return Optional.ofNullable(unavailable);
            }

            @Override
            public int deviceCount() {
                return devices;
            }

            @Override
            public Device device(int index) {
                return new Device("cpu");
            }

            @Override
            public void setup(Device device) {
            }
        };
    }

    private static String chosen(String flag, Accelerator... installed) {
        return new ServicePlugins(List.of(installed), List.of(), List.of(), NoOffers.NONE, message -> {
        }).accelerator(TrainerSetup.of(TrainerConfig.builder().accelerator(flag).build(), TrainerPlugins.none())).name();
    }

    @Test
    public void devicesFlag() {
        Accelerator four = accelerator("cuda", 4, null);

        assertEquals(List.of(0), DeviceSpec.parse("auto", four));
        assertEquals(List.of(0, 1), DeviceSpec.parse("2", four));
        assertEquals(List.of(0, 2), DeviceSpec.parse("[0,2]", four));
        assertEquals(List.of(1, 3), DeviceSpec.parse("1,3", four));
        assertEquals(List.of(0, 1, 2, 3), DeviceSpec.parse("-1", four));
    }

    @Test
    public void devicesThatDoNotExistAreNamed() {
        Accelerator two = accelerator("cuda", 2, null);

        assertEquals("devices=3 but accelerator cuda has 2 device(s)",
                assertThrows(TorchlightException.class, () -> DeviceSpec.parse("3", two)).getMessage());
        assertEquals("devices=[0,5]: accelerator cuda has no device 5 (it has 2)",
                assertThrows(TorchlightException.class, () -> DeviceSpec.parse("[0,5]", two)).getMessage());
        assertEquals("devices=gpu: expected auto, a count, -1, or a list like [0,2]",
                assertThrows(TorchlightException.class, () -> DeviceSpec.parse("gpu", two)).getMessage());
        assertEquals("devices=0: expected auto, a count >= 1, -1 for all, or a list like [0,2]",
                assertThrows(TorchlightException.class, () -> DeviceSpec.parse("0", two)).getMessage());
    }

    @Test
    public void autoTakesTheHighestRankedUsableAccelerator() {
        Accelerator cpu = accelerator("cpu", 1, null);

        // installed in ranking order, as the factory hands them over (the cuda component ranks 100, the cpu 0)
        assertEquals("cuda", chosen("auto", accelerator("cuda", 1, null), cpu));
        assertEquals("cpu", chosen("auto", accelerator("cuda", 0, "no driver"), cpu));
        // Lightning 1.6's spelling: accelerator="gpu" (AcceleratorConnector maps it to the CUDA accelerator)
        assertEquals("cuda", chosen("gpu", cpu, accelerator("cuda", 1, null)));
        assertEquals("a name outside the core's vocabulary is chosen the same way", "tpu",
                chosen("auto", accelerator("tpu", 8, null), accelerator("cuda", 1, null), cpu));
        TorchlightException e = assertThrows(TorchlightException.class,
                () -> chosen("cuda", accelerator("cuda", 0, "no driver"), cpu));
        assertEquals("accelerator cuda is not available: no driver (use accelerator=auto or cpu)", e.getMessage());
    }
}
