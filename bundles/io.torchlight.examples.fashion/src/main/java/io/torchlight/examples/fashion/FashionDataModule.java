package io.torchlight.examples.fashion;

import java.nio.file.Path;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.LightningDataModule;
import io.torchlight.api.Stage;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/**
 * Fashion-MNIST as a data module: the training file split into training and validation (the last
 * {@code valSize} images, or a tenth of the sample), the test file for testing and prediction.
 */
public class FashionDataModule extends LightningDataModule {

    private final Path dataDir;
    private final int batchSize;
    private final int valSize;
    private FashionData data;
    private TensorDataset train;
    private TensorDataset val;
    private TensorDataset test;

    /** {@code dataDir} may be null (Debian's files, else the shipped sample). */
    public FashionDataModule(Path dataDir, int batchSize, int valSize) {
        this.dataDir = dataDir;
        this.batchSize = batchSize;
        this.valSize = valSize;
    }

    @Override
    public void prepareData() {
        data = FashionData.locate(dataDir);
    }

    @Override
    public void setup(Stage stage) {
        if (data == null) {
            prepareData();
        }
        if ((stage == Stage.FIT || stage == Stage.VALIDATE) && train == null) {
            FashionData.Split split = data.split(true);
            Tensor images = split.images();
            Tensor labels = split.labels();
            long n = images.size(0);
            long held = data.isSample() ? n / 10 : Math.min(valSize, n / 5);
            train = new TensorDataset(images.narrow(0, 0, n - held), labels.narrow(0, 0, n - held));
            val = new TensorDataset(images.narrow(0, n - held, held), labels.narrow(0, n - held, held));
        }
        if ((stage == Stage.TEST || stage == Stage.PREDICT) && test == null) {
            FashionData.Split split = data.split(false);
            test = new TensorDataset(split.images(), split.labels());
        }
    }

    @Override
    public DataLoader trainDataloader() {
        return DataLoader.of(train).batchSize(batchSize).shuffle(true).build();
    }

    @Override
    public DataLoader valDataloader() {
        return DataLoader.of(val).batchSize(256).build();
    }

    @Override
    public DataLoader testDataloader() {
        return DataLoader.of(test).batchSize(256).build();
    }

    @Override
    public DataLoader predictDataloader() {
        return testDataloader();
    }

    /** Where the data came from, once prepared. */
    public String source() {
        return data == null ? "not loaded" : data.source();
    }

    static long correct(Tensor logits, Tensor labels) {
        return torch.argmax(logits, new LongOptional(1), false).eq(labels).sum().item_long();
    }
}
