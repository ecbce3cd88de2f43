package io.torchlight.accelerator.cpu.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

/** The CPU accelerator's configuration: a mistake makes it unavailable, saying why, instead of being ignored. */
public class CpuAcceleratorComponentTest {

    @Test
    public void aValidConfigurationIsAppliedInEverySpelling() {
        assertEquals(2, new CpuAcceleratorComponent(null, Map.of("threads", "2")).threads());
        assertEquals(3, new CpuAcceleratorComponent(null, Map.of("threads", 3)).threads());
        assertTrue(new CpuAcceleratorComponent(null, Map.of("service.pid", "io.torchlight.accelerator.cpu")).isAvailable());
    }

    @Test
    public void aBadValueOrKeyMakesItUnavailableWithTheReason() {
        CpuAcceleratorComponent text = new CpuAcceleratorComponent(null, Map.of("threads", "many"));
        CpuAcceleratorComponent negative = new CpuAcceleratorComponent(null, Map.of("threads", "-2"));
        CpuAcceleratorComponent typo = new CpuAcceleratorComponent(null, Map.of("thread", "2"));

        assertFalse(text.isAvailable());
        assertTrue(text.unavailableReason().orElseThrow().contains("threads: expected an integer, got 'many'"));
        assertTrue(negative.unavailableReason().orElseThrow().contains("threads: must be >= 0 (0 keeps libtorch's default), got -2"));
        assertTrue(typo.unavailableReason().orElseThrow().contains("unknown key 'thread'; did you mean threads?"));
    }
}
