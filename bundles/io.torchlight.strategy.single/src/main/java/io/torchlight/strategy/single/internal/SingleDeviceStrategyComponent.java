package io.torchlight.strategy.single.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.strategy.Strategy;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.torch.TorchRuntime;

/** Registers {@link SingleDeviceStrategy}; prototype scope, since a strategy holds one run's device. */
@Component(service = Strategy.class, scope = ServiceScope.PROTOTYPE,
        property = Strategy.PROPERTY_NAME + "=" + SingleDeviceStrategy.NAME)
public class SingleDeviceStrategyComponent extends SingleDeviceStrategy {

    @Activate
    public SingleDeviceStrategyComponent(@Reference TorchRuntime runtime) {
        // the reference only orders activation after libtorch is loaded
    }
}
