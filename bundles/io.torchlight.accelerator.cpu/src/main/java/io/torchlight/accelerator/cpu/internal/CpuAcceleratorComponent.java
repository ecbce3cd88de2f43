package io.torchlight.accelerator.cpu.internal;

import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.torch.TorchRuntime;
import io.torchlight.utils.config.ConfigurationException;
import io.torchlight.utils.config.PluginSettings;

/**
 * Registers {@link CpuAccelerator} as the {@code cpu} accelerator service, configured by PID
 * {@code io.torchlight.accelerator.cpu} ({@code threads}: libtorch intra-op threads, 0 keeps libtorch's
 * default). With an invalid configuration it is unavailable, and says why.
 */
@Component(service = Accelerator.class, configurationPid = CpuAcceleratorComponent.PID,
        property = Accelerator.PROPERTY_NAME + "=" + CpuAccelerator.NAME)
public class CpuAcceleratorComponent extends CpuAccelerator {

    static final String PID = "io.torchlight.accelerator.cpu";

    private final Optional<ConfigurationException> problem;

    @Activate
    public CpuAcceleratorComponent(@Reference TorchRuntime runtime, Map<String, Object> properties) {
        this(PluginSettings.of(PID, properties));
    }

    private CpuAcceleratorComponent(PluginSettings config) {
        super(threads(config));
        this.problem = config.problem();
    }

    private static int threads(PluginSettings config) {
        int threads = config.integer("threads", 0);
        config.require(threads >= 0, "threads: must be >= 0 (0 keeps libtorch's default), got " + threads);
        return Math.max(0, threads);
    }

    @Override
    public boolean isAvailable() {
        return problem.isEmpty();
    }

    @Override
    public Optional<String> unavailableReason() {
        return problem.map(ConfigurationException::getMessage);
    }
}
