package io.torchlight.examples.fashion.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.LightningModule;
import io.torchlight.examples.fashion.FashionCnn;
import io.torchlight.examples.fashion.FashionGan;
import io.torchlight.examples.fashion.FashionMlp;
import io.torchlight.torch.TorchRuntime;

/**
 * The Fashion-MNIST modules as services (prototype scope: a fresh model per run). Configuration PIDs
 * {@code fashion.mlp} / {@code fashion.cnn} may set {@code hparams.data_dir}, {@code hparams.batch_size},
 * {@code hparams.lr}.
 */
final class FashionComponents {

    private FashionComponents() {
    }

    /** Module {@code fashion-mlp}. */
    @Component(service = LightningModule.class, scope = ServiceScope.PROTOTYPE, configurationPid = "fashion.mlp",
            property = {LightningModule.PROPERTY_NAME + "=fashion-mlp", "hparams.model=mlp-784-128-10"})
    public static class Mlp extends FashionMlp {
        @Activate
        public Mlp(@Reference TorchRuntime runtime) {
            super();
        }
    }

    /** Module {@code fashion-gan}: two optimizers, the generator's and the discriminator's. */
    @Component(service = LightningModule.class, scope = ServiceScope.PROTOTYPE, configurationPid = "fashion.gan",
            property = {LightningModule.PROPERTY_NAME + "=fashion-gan", "hparams.model=gan-64-256-784"})
    public static class Gan extends FashionGan {
        @Activate
        public Gan(@Reference TorchRuntime runtime) {
            super();
        }
    }

    /** Module {@code fashion-cnn}. */
    @Component(service = LightningModule.class, scope = ServiceScope.PROTOTYPE, configurationPid = "fashion.cnn",
            property = {LightningModule.PROPERTY_NAME + "=fashion-cnn", "hparams.model=cnn-2conv-2linear"})
    public static class Cnn extends FashionCnn {
        @Activate
        public Cnn(@Reference TorchRuntime runtime) {
            super();
        }
    }
}
