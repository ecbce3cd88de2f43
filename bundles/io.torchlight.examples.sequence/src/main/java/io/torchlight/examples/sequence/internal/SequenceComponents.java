package io.torchlight.examples.sequence.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.LightningModule;
import io.torchlight.examples.sequence.SineLstm;
import io.torchlight.torch.TorchRuntime;

/** Module {@code sine-lstm} as a service (prototype scope: a fresh model per run). */
@Component(service = LightningModule.class, scope = ServiceScope.PROTOTYPE, property = {
        LightningModule.PROPERTY_NAME + "=sine-lstm", "hparams.model=lstm-cell-32"})
public class SequenceComponents extends SineLstm {

    /** The runtime reference only orders creation after libtorch is loaded. */
    @Activate
    public SequenceComponents(@Reference TorchRuntime runtime) {
        super();
    }
}
