package io.torchlight.demos;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.LightningModule;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.optim.StepLR;

/**
 * Lightning's BoringModel: one 32-to-2 linear layer pulled towards ones by mean squared error, SGD with
 * learning rate 0.1 and a StepLR, and 64 random samples for every stage. The smallest complete module;
 * subclass it to reproduce a problem.
 */
public class BoringModel extends LightningModule {

    protected final LinearImpl layer;

    public BoringModel() {
        layer = registerModule("layer", new LinearImpl(32, 2));
    }

    @Override
    public Tensor forward(Tensor x) {
        return layer.forward(x);
    }

    /** Mean squared distance of the prediction from ones. */
    public Tensor loss(Tensor prediction) {
        return torch.mse_loss(prediction, torch.ones_like(prediction));
    }

    /** One random batch-size-1 loader of 64 samples of width 32. */
    protected DataLoader randomLoader() {
        return DataLoader.of(new RandomDataset(32, 64)).batchSize(1).build();
    }

    @Override
    public Object trainingStep(Batch batch, int batchIdx) {
        return Map.of("loss", loss(forward(batch.input())));
    }

    @Override
    public Object validationStep(Batch batch, int batchIdx) {
        return Map.of("x", loss(forward(batch.input())));
    }

    @Override
    public Object testStep(Batch batch, int batchIdx) {
        return Map.of("y", loss(forward(batch.input())));
    }

    @Override
    public Object configureOptimizers() {
        SGD sgd = new SGD(parameters(), new SGDOptions(0.1));
        return OptimizerConfig.of(List.of(sgd)).scheduler(new StepLR(sgd, 1, 0.1));
    }

    @Override
    public DataLoader trainDataloader() {
        return randomLoader();
    }

    @Override
    public DataLoader valDataloader() {
        return randomLoader();
    }

    @Override
    public DataLoader testDataloader() {
        return randomLoader();
    }

    @Override
    public DataLoader predictDataloader() {
        return randomLoader();
    }
}
