package io.torchlight.accelerator.cuda.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.torchlight.accelerator.cuda.CudaAccelerator;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.torch.TorchRuntime;

/** Registers {@link CudaAccelerator} as the {@code cuda} accelerator service, from what the torch runtime found. */
@Component(service = Accelerator.class, property = {Accelerator.PROPERTY_NAME + "=" + CudaAccelerator.NAME,
        "service.ranking:Integer=100"})
public class CudaAcceleratorComponent extends CudaAccelerator {

    @Activate
    public CudaAcceleratorComponent(@Reference TorchRuntime runtime) {
        super(runtime.cudaDeviceCount(), runtime.cudaAvailable() ? null
                : runtime.cudaUnavailableReason().orElse("libtorch reports CUDA unusable"));
    }
}
