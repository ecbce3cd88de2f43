package io.torchlight.examples.fashion;

import java.nio.file.Path;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.LightningModule;
import io.torchlight.api.LogOptions;
import io.torchlight.api.Stage;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * What both Fashion-MNIST classifiers share: cross-entropy training, loss and accuracy logging, Adam,
 * and their data (a {@link FashionDataModule} built from the hyperparameters {@code data_dir},
 * {@code batch_size}, {@code lr}).
 */
public abstract class FashionModule extends LightningModule {

    private FashionDataModule data;

    @Override
    public void prepareData() {
        data().prepareData();
    }

    @Override
    public void setup(Stage stage) {
        data().setup(stage);
    }

    private FashionDataModule data() {
        if (data == null) {
            Object dir = hparams().get("data_dir");
            data = new FashionDataModule(dir == null || String.valueOf(dir).isBlank() ? null : Path.of(String.valueOf(dir)),
                    intParam("batch_size", defaultBatchSize()), 5000);
        }
        return data;
    }

    /** The training batch size unless {@code hparams.batch_size} says otherwise. */
    protected int defaultBatchSize() {
        return 64;
    }

    @Override
    public DataLoader trainDataloader() {
        return data().trainDataloader();
    }

    @Override
    public DataLoader valDataloader() {
        return data().valDataloader();
    }

    @Override
    public DataLoader testDataloader() {
        return data().testDataloader();
    }

    @Override
    public DataLoader predictDataloader() {
        return data().predictDataloader();
    }

    @Override
    public Object trainingStep(Batch batch, int batchIdx) {
        Tensor loss = torch.cross_entropy(forward(batch.input()), batch.target());
        log("train_loss", loss, LogOptions.defaults().onEpoch(true).progBar(true));
        return loss;
    }

    @Override
    public Object validationStep(Batch batch, int batchIdx) {
        evaluate(batch, "val");
        return null;
    }

    @Override
    public Object testStep(Batch batch, int batchIdx) {
        evaluate(batch, "test");
        return null;
    }

    @Override
    public Object predictStep(Batch batch, int batchIdx, int dataloaderIdx) {
        return torch.argmax(forward(batch.input()), new LongOptional(1), false);
    }

    private void evaluate(Batch batch, String prefix) {
        Tensor logits = forward(batch.input());
        log(prefix + "_loss", torch.cross_entropy(logits, batch.target()), LogOptions.defaults().progBar(true));
        Tensor accuracy = torch.argmax(logits, new LongOptional(1), false).eq(batch.target())
                .to(torch.ScalarType.Float).mean();
        log(prefix + "_acc", accuracy, LogOptions.defaults().progBar(true));
    }

    @Override
    public Object configureOptimizers() {
        return new Adam(parameters(), new AdamOptions(doubleParam("lr", 1e-3)));
    }

    private int intParam(String name, int fallback) {
        Object v = hparams().get(name);
        return v == null ? fallback : Integer.parseInt(String.valueOf(v).trim());
    }

    private double doubleParam(String name, double fallback) {
        Object v = hparams().get(name);
        return v == null ? fallback : Double.parseDouble(String.valueOf(v).trim());
    }

    /** Scalar helper for subclasses. */
    protected static Scalar scalar(double v) {
        return new Scalar(v);
    }
}
