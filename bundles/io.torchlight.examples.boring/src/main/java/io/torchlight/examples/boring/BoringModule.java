package io.torchlight.examples.boring;

import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.LightningModule;
import io.torchlight.api.LogOptions;
import io.torchlight.demos.BoringModel;
import io.torchlight.torch.TorchRuntime;
import io.torchlight.utils.data.Batch;

/**
 * The BoringModel as a module service: prototype scope (a fresh model per run), name {@code boring}, and
 * an autorun of one epoch when the bundle arrives.
 */
@Component(service = LightningModule.class, scope = ServiceScope.PROTOTYPE, property = {
        LightningModule.PROPERTY_NAME + "=boring",
        "torchlight.autorun=true",
        "trainer.max_epochs=1",
        "trainer.log_every_n_steps=8",
        "hparams.model=BoringModel"})
public class BoringModule extends BoringModel {

    /** The runtime reference only orders creation after libtorch is loaded. */
    @Activate
    public BoringModule(@Reference TorchRuntime runtime) {
        super();
    }

    @Override
    public Object trainingStep(Batch batch, int batchIdx) {
        Tensor loss = loss(forward(batch.input()));
        log("train_loss", loss, LogOptions.defaults().onEpoch(true).progBar(true));
        return loss;
    }

    @Override
    public Object validationStep(Batch batch, int batchIdx) {
        log("val_loss", loss(forward(batch.input())), LogOptions.defaults().progBar(true));
        return null;
    }

    /** Lightning's 0.1 diverges on batches of one 32-wide sample; 0.01 shows a falling loss. */
    @Override
    public Object configureOptimizers() {
        return new SGD(parameters(), new SGDOptions(0.01));
    }

    @Override
    public Object testStep(Batch batch, int batchIdx) {
        log("test_loss", loss(forward(batch.input())));
        return null;
    }
}
