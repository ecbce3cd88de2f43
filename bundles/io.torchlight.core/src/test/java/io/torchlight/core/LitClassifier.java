package io.torchlight.core;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.LightningModule;
import io.torchlight.api.LogOptions;
import io.torchlight.utils.data.Batch;

/** The README's "Writing a module" example, verbatim; {@link ReadmeExamplesTest} trains it and compares it with the page. */
public class LitClassifier extends LightningModule {
    private final LinearImpl hidden = registerModule("hidden", new LinearImpl(784, 128));
    private final LinearImpl out = registerModule("out", new LinearImpl(128, 10));

    @Override public Tensor forward(Tensor x) { return out.forward(torch.relu(hidden.forward(x))); }

    @Override public Object trainingStep(Batch batch, int batchIdx) {
        Tensor loss = torch.cross_entropy(forward(batch.input()), batch.target());
        log("train_loss", loss, LogOptions.defaults().progBar(true));
        return loss;
    }

    @Override public Object validationStep(Batch batch, int batchIdx) {
        log("val_loss", torch.cross_entropy(forward(batch.input()), batch.target()));
        return null;
    }

    @Override public Object configureOptimizers() { return new Adam(parameters(), new AdamOptions(1e-3)); }
}
