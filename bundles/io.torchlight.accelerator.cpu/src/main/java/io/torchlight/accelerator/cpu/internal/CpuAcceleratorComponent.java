package io.torchlight.accelerator.cpu.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.torch.TorchRuntime;

/** Registers {@link CpuAccelerator} as the {@code cpu} accelerator service. */
@Component(service = Accelerator.class, property = Accelerator.PROPERTY_NAME + "=" + CpuAccelerator.NAME)
@Designate(ocd = CpuAcceleratorComponent.Config.class)
public class CpuAcceleratorComponent extends CpuAccelerator {

    /** Configuration of PID {@code io.torchlight.accelerator.cpu}. */
    @ObjectClassDefinition(name = "Torchlight CPU accelerator", pid = "io.torchlight.accelerator.cpu")
    public @interface Config {
        @AttributeDefinition(description = "libtorch intra-op threads; 0 keeps libtorch's default")
        int threads() default 0;
    }

    @Activate
    public CpuAcceleratorComponent(@Reference TorchRuntime runtime, Config config) {
        super(config.threads());
    }
}
