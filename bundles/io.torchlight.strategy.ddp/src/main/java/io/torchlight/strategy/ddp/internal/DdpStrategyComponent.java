package io.torchlight.strategy.ddp.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.strategy.Strategy;
import io.torchlight.strategy.ddp.DdpStrategy;
import io.torchlight.torch.TorchRuntime;

/** Registers {@link DdpStrategy} for this process's torchrun environment; prototype scope, one per run. */
@Component(service = Strategy.class, scope = ServiceScope.PROTOTYPE, property = Strategy.PROPERTY_NAME + "=" + DdpStrategy.NAME)
public class DdpStrategyComponent extends DdpStrategy {

    @Activate
    public DdpStrategyComponent(@Reference TorchRuntime runtime) {
        // the reference only orders activation after libtorch is loaded
    }

    /** The run gave its instance back: the rendezvous port is freed for the next run of this container. */
    @Deactivate
    void deactivate() {
        close();
    }
}
