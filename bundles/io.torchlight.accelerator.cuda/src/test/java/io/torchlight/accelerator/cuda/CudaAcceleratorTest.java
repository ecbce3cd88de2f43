package io.torchlight.accelerator.cuda;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.EnumSet;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.junit.Test;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Precision;

public class CudaAcceleratorTest {

    @Test
    public void withoutCudaItIsPresentUnavailableAndSaysWhy() {
        CudaAccelerator cuda = new CudaAccelerator(0, "no NVIDIA driver");

        assertFalse(cuda.isAvailable());
        assertEquals(0, cuda.deviceCount());
        TorchlightException e = assertThrows(TorchlightException.class, () -> cuda.device(0));
        assertEquals("accelerator cuda is not available: no NVIDIA driver", e.getMessage());
    }

    @Test
    public void devicesAreNumberedFromZeroAndCheckedAgainstTheCount() {
        CudaAccelerator cuda = new CudaAccelerator(2, null);

        assertTrue(cuda.isAvailable());
        assertEquals("cuda:1", cuda.device(1).str().getString());
        TorchlightException e = assertThrows(TorchlightException.class, () -> cuda.device(2));
        assertEquals("accelerator cuda has no device 2 (it has 2)", e.getMessage());
    }

    @Test
    public void theProbeAgreesWithLibtorch() {
        CudaAccelerator cuda = CudaAccelerator.probe();

        assertEquals(torch.cuda_is_available(), cuda.isAvailable());
        assertEquals(cuda.isAvailable(), cuda.unavailableReason().isEmpty());
    }

    @Test
    public void declaresTheCudaDeviceTypeAndEveryPrecision() {
        CudaAccelerator cuda = new CudaAccelerator(1, null);

        assertEquals(DeviceType.CUDA, cuda.deviceType());
        assertEquals(EnumSet.allOf(Precision.class), cuda.precisions());
    }
}
